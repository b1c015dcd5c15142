import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { withSecretThrottle } from '../ratelimit/throttle.server'
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
	const checked = await withSecretThrottle(context, { account: user.email, failure: { type: 'user.password_confirm_failed', actorId: user.id, targetType: 'user', targetId: user.id } }, async () => {
		try {
			await verifyCredentials(context.org.id, user.email, typeof raw === 'string' ? raw : '')
			return { ok: true, value: null }
		} catch (error) {
			if (!(error instanceof InvalidCredentialsError)) throw error
			return { ok: false, reason: error.reason }
		}
	})
	if (checked.ok) return { ok: true }
	if (checked.status === 429) return { ok: false, status: 429, message: checked.message, retryAfterSeconds: checked.retryAfterSeconds }
	return { ok: false, status: 400, message: 'That is not your current password.' }
}

export async function hasPassword(userId: string) {
	return (await db().password.count({ where: { userId } })) > 0
}
