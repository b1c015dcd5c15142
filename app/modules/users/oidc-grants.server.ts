import { type Tx } from '../../utils/db.server'

/**
 * What apps hold for a user goes when the account is deleted or handed to someone else: each
 * oidc-provider Grant row of the user (payload.accountId) and every code and token issued under
 * it (their grantId). Returns how many grants went.
 */
export async function deleteUserOidcGrants(tx: Tx, organizationId: string, userId: string): Promise<number> {
	const grants = await tx.oidcPayload.findMany({ where: { organizationId, model: 'Grant', payload: { path: ['accountId'], equals: userId } }, select: { id: true } })
	const grantIds = grants.map((grant) => grant.id)
	if (grantIds.length === 0) return 0
	await tx.oidcPayload.deleteMany({ where: { organizationId, OR: [{ model: 'Grant', id: { in: grantIds } }, { grantId: { in: grantIds } }] } })
	return grantIds.length
}

/** oidc-provider's own sessions of the user (its single sign-on state), for an account handed to someone else. */
export async function deleteUserOidcSessions(tx: Tx, organizationId: string, userId: string): Promise<number> {
	const { count } = await tx.oidcPayload.deleteMany({ where: { organizationId, model: 'Session', payload: { path: ['accountId'], equals: userId } } })
	return count
}
