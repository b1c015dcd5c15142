import { permissionsOf } from '../permissions/grants.server'
import { type OrgSettings } from '../orgs/settings'
import { mfaRequiredFor } from './policy'

/**
 * Whether the org's policy demands a second factor of this user: `required` of everyone,
 * `required-for-admins` of anyone whose role (built-in or custom) can manage the org. Only the
 * second needs the role's statements, so only it may cost a lookup.
 */
export async function mfaRequiredOf(org: { id: string; settings: Pick<OrgSettings, 'mfaPolicy'> }, user: { role: string }): Promise<boolean> {
	if (org.settings.mfaPolicy !== 'required-for-admins') return org.settings.mfaPolicy === 'required'
	return mfaRequiredFor(org.settings, await permissionsOf(org.id, user.role))
}
