import { mfaRequiredOf } from '../mfa/requirement.server'
import { type OrgSettings } from '../orgs/settings'

/**
 * Authentication context classes Foyer issues: the session's assurance level. An app asks for a
 * second factor with `acr_values=aal2` and reads `acr` (and `amr`) in the ID token. acr_values
 * are voluntary (OIDC Core 3.1.2.1): a user with no second factor in an org that offers none gets
 * `aal1` and the app decides.
 */
export const ACR_VALUES = ['aal1', 'aal2'] as const

export function asksForSecondFactor(acrValues: unknown): boolean {
	return typeof acrValues === 'string' && acrValues.split(' ').includes('aal2')
}

/** The app asked for aal2, or the org requires a second factor of this user. */
export async function needsSecondFactor(org: { id: string; settings: Pick<OrgSettings, 'mfaPolicy'> }, acrValues: unknown, user: { role: string }): Promise<boolean> {
	return asksForSecondFactor(acrValues) || (await mfaRequiredOf(org, user))
}
