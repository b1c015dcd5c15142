import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { revokeUserGrants } from '../oidc/grants.server'
import { isLastEnabledOwner } from './admin-users.server'

export type DeleteOutcome = { ok: true } | { ok: false; message: string }

/**
 * A user deletes their own account: the row goes, and with it (by cascade) their sessions,
 * password, factors and pending verifications; their apps' grants and tokens go too. The last
 * owner of an org cannot leave it ownerless. The audit event outlives the user (it names them by
 * id and email) and commits with the deletion.
 */
export async function deleteOwnAccount(context: RequestContext, user: { id: string; email: string; role: string }): Promise<DeleteOutcome> {
	return db().$transaction(async (tx) => {
		const current = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, role: true, disabledAt: true } })
		if (await isLastEnabledOwner(tx, context.org.id, current)) {
			return { ok: false as const, message: `You are the only owner of ${context.org.name}. Make someone else an owner before you delete your account.` }
		}
		const grantsRevoked = await revokeUserGrants(tx, context.org.id, user.id)
		await recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'user.deleted',
			actorId: user.id,
			targetType: 'user',
			targetId: user.id,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { email: user.email, by: 'self', grantsRevoked },
		})
		await tx.user.delete({ where: { id: user.id } })
		return { ok: true as const }
	})
}
