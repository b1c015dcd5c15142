import { type Prisma } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { commitSession, createSession, revokeCurrentSession } from './session.server'

type Tx = Prisma.TransactionClient

export type SignInMethod = 'password' | 'magic-link' | 'email-code' | 'email-verification'

/** RFC 8176 methods where one fits; a link in an email has none, so it is named for what it is. */
const AMR: Record<SignInMethod, string[]> = {
	password: ['pwd'],
	'magic-link': ['email'],
	'email-code': ['otp', 'email'],
	'email-verification': ['email'],
}

/**
 * Every sign-in ends here: the browser's previous session is revoked (rotation), a new one is
 * created, and `user.signed_in` is written in the same transaction. Pass `tx` when the sign-in is
 * part of a larger change (a used verification, a new password). Returns the Set-Cookie value.
 */
export async function signInUser(
	request: Request,
	context: RequestContext,
	input: { userId: string; method: SignInMethod; data?: Record<string, unknown> },
	tx?: Tx,
): Promise<string> {
	const run = async (tx: Tx) => {
		await revokeCurrentSession(tx, request, context)
		const created = await createSession(tx, { userId: input.userId, amr: AMR[input.method] }, context)
		await recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'user.signed_in',
			actorId: input.userId,
			targetType: 'session',
			targetId: created.session.id,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { method: input.method, ...input.data },
		})
		return created.token
	}
	const token = tx ? await run(tx) : await db().$transaction(run)
	return commitSession(token, context)
}

/** Ends every session of a user (password reset, password change keeps `except`). */
export async function revokeUserSessions(tx: Tx, userId: string, except?: string) {
	const { count } = await tx.session.updateMany({
		where: { userId, revokedAt: null, ...(except ? { id: { not: except } } : {}) },
		data: { revokedAt: new Date() },
	})
	return count
}
