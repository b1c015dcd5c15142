import { type Prisma } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { recordAuditEvent } from '../audit/audit.server'
import { endUserSignIns } from '../sessions/end-sign-ins.server'

/**
 * Stores a user's new password hash (already checked against the policy and hashed outside the
 * transaction), ends every one of their sessions and their apps' grants, and records why, all in
 * the caller's transaction. A reset and a change differ only in the audit type and what the
 * caller does next (a change signs this browser in again).
 */
export async function replacePassword(
	tx: Prisma.TransactionClient,
	input: { userId: string; hash: string; reason: 'user.password_reset' | 'user.password_changed' },
	context: Pick<RequestContext, 'org' | 'ip' | 'userAgent'>,
) {
	const { userId, hash } = input
	await tx.password.upsert({ where: { userId }, create: { userId, hash }, update: { hash } })
	const ended = await endUserSignIns(tx, { organizationId: context.org.id, userId })
	await recordAuditEvent(tx, {
		organizationId: context.org.id,
		type: input.reason,
		actorId: userId,
		targetType: 'user',
		targetId: userId,
		ip: context.ip,
		userAgent: context.userAgent,
		data: ended,
	})
}
