import { type Invitation } from '../../generated/prisma/client'
import { type Tx } from '../../utils/db.server'
import { currentKey } from '../apikeys/keys.server'
import { keyActor, permissionsOf, type Actor, type GrantOrg } from '../permissions/grants.server'

/**
 * Who sent an invitation, as recorded on it and as they are now. An invitation is a grant made in
 * advance: when its link is used, the sender must still be allowed to give its role, so a sender
 * who lost the right (demoted, disabled, deleted, a key revoked) raises nobody any more.
 */

/** The columns that record `by` as the sender. */
export function inviterColumns(by: Actor): Pick<Invitation, 'invitedById' | 'invitedByKeyId'> {
	return by.kind === 'apiKey' ? { invitedById: null, invitedByKeyId: by.id } : { invitedById: by.id, invitedByKeyId: null }
}

type InviterUser = { id: string; organizationId: string; role: string; disabledAt: Date | null; isOperator: boolean }

/**
 * The sender of `invitation` as an actor in `org` now, or null when there is none that could still
 * give anything: no sender recorded, a user deleted or disabled, a key revoked, expired, of another
 * org or whose creator was disabled or deleted (a key holds only what its creator holds now).
 * The sender's row is locked (FOR SHARE) until the transaction ends, so a demotion or a revocation
 * running at the same time waits for the acceptance or sees it.
 */
export async function currentInviter(tx: Tx, org: GrantOrg, invitation: Pick<Invitation, 'invitedById' | 'invitedByKeyId'>): Promise<Actor | null> {
	if (invitation.invitedByKeyId) {
		const key = await currentKey(tx, org.id, invitation.invitedByKeyId)
		return key ? keyActor(org, key) : null
	}
	if (!invitation.invitedById) return null
	const [user] = await tx.$queryRaw<InviterUser[]>`
		SELECT u.id, u."organizationId", u.role, u."disabledAt", o."isOperator" FROM "User" u JOIN "Organization" o ON o.id = u."organizationId"
		WHERE u.id = ${invitation.invitedById} FOR SHARE OF u`
	if (!user || user.disabledAt) return null
	const permissions = await permissionsOf(user.organizationId, user.role, tx)
	if (user.organizationId === org.id) return { kind: 'user', org, id: user.id, role: user.role, permissions }
	// Only the operator org's users act in another org (inviting an onboarded org's owners).
	return user.isOperator ? { kind: 'operator', org, id: user.id, permissions } : null
}
