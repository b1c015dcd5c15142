import { type Tx } from '../../utils/db.server'
import { revokeUserGrants } from '../oidc/grants.server'

/**
 * Ends a user's sign-ins: their Foyer sessions (all, or all but the one they are using) and their
 * apps' grants with every token issued under them, in the caller's transaction (which writes the
 * audit event with these counts). A password reset or change, an admin's forced reset, disable or
 * "revoke sessions", and "sign out all other devices" all come here: otherwise an app would keep
 * a refresh token for 30 days after the sessions it came from were ended.
 */
export async function endUserSignIns(tx: Tx, input: { organizationId: string; userId: string; keepSessionId?: string }): Promise<{ sessionsRevoked: number; grantsRevoked: number }> {
	const { organizationId, userId, keepSessionId } = input
	const { count } = await tx.session.updateMany({
		where: { organizationId, userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
		data: { revokedAt: new Date() },
	})
	return { sessionsRevoked: count, grantsRevoked: await revokeUserGrants(tx, organizationId, userId) }
}
