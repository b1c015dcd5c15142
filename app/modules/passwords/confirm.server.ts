import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEventNow } from '../audit/audit.server'
import { checkThrottle, recordFailure, recordSuccess, throttleMessage } from '../ratelimit/throttle.server'
import { InvalidCredentialsError, verifyCredentials } from './strategy.server'

export type PasswordConfirmation = { ok: true } | { ok: false; status: 400 | 429; message: string; retryAfterSeconds?: number }

/**
 * Re-entering the password before a sensitive change (new password, new email). It goes through
 * the same throttle as sign-in, so a stolen session cannot be used to guess the password.
 * Accounts with no password (they sign in by email) confirm nothing here.
 */
export async function confirmPassword(context: RequestContext, user: { id: string; email: string }, raw: unknown): Promise<PasswordConfirmation> {
	const stored = await db().password.findUnique({ where: { userId: user.id }, select: { userId: true } })
	if (!stored) return { ok: true }
	const key = { organizationId: context.org.id, account: user.email, ip: context.ip }
	const verdict = await checkThrottle(key)
	if (!verdict.allowed) return { ok: false, status: 429, message: throttleMessage(verdict.retryAfterSeconds), retryAfterSeconds: verdict.retryAfterSeconds }
	try {
		await verifyCredentials(context.org.id, user.email, typeof raw === 'string' ? raw : '')
	} catch (error) {
		if (!(error instanceof InvalidCredentialsError)) throw error
		await recordFailure(key)
		await recordAuditEventNow({
			organizationId: context.org.id,
			type: 'user.password_confirm_failed',
			actorId: user.id,
			targetType: 'user',
			targetId: user.id,
			ip: context.ip,
			userAgent: context.userAgent,
		})
		return { ok: false, status: 400, message: 'That is not your current password.' }
	}
	await recordSuccess(key)
	return { ok: true }
}

export async function hasPassword(userId: string) {
	return (await db().password.count({ where: { userId } })) > 0
}
