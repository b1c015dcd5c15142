import { type RequestContext } from '../../context'
import { type User as UserRow } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { withSecretThrottle } from '../ratelimit/throttle.server'
import { revokeUserGrants } from '../oidc/grants.server'
import { regenerateBackupCodes } from './backup-codes.server'
import { upgradeOwnSession } from './complete.server'
import { loadUserFactors } from './factors.server'
import { usableSecondFactors, type UserFactors } from './policy'
import { mfaRequiredOf } from './requirement.server'
import { confirmTotpEnrolment, removeTotp } from './totp.server'

type User = { id: string; email: string; role: string; organizationId: string }

const auditOf = (context: RequestContext, user: User) => ({
	organizationId: context.org.id,
	actorId: user.id,
	targetType: 'user',
	targetId: user.id,
	ip: context.ip,
	userAgent: context.userAgent,
})

export type TotpConfirmation = { ok: true; setCookies: string[] } | { ok: false; status: 400 | 429; message: string; retryAfterSeconds?: number }

const WRONG_CODE = 'That code is not right. Check the time on your device and enter the newest code.'

/**
 * The first code from the app makes the secret a factor. In the same transaction: the audit event
 * and, for a session without a second factor yet, a rotation of this user's own session to aal2
 * (the code just proved the factor). Throttled like every secret check, but a right code clears
 * nothing: it proves a secret the user just made, not the account's. The caller must redirect:
 * the request's cookie names the session just revoked.
 */
export async function confirmTotp(
	request: Request,
	context: RequestContext,
	current: { user: UserRow; session: { aal: string; amr: string[] } },
	code: string,
	redirectTo: string,
): Promise<TotpConfirmation> {
	const { user } = current
	const checked = await withSecretThrottle(context, { account: user.email, failure: { ...auditOf(context, user), type: 'mfa.failed', data: { method: 'totp', enrolment: true } } }, () =>
		db().$transaction(async (tx) => {
			const confirmed = await confirmTotpEnrolment(tx, user.id, code)
			if (!confirmed.ok) return confirmed
			await recordAuditEvent(tx, { ...auditOf(context, user), type: 'mfa.totp_enrolled', data: { drift: confirmed.delta } })
			const upgraded = await upgradeOwnSession(request, context, current, 'totp', redirectTo, tx)
			return { ok: true as const, value: upgraded?.setCookies ?? [], clears: false }
		}),
	)
	if (checked.ok) return { ok: true, setCookies: checked.value }
	if (checked.status === 429) return { ok: false, status: 429, message: checked.message, retryAfterSeconds: checked.retryAfterSeconds }
	return { ok: false, status: 400, message: WRONG_CODE }
}

export const LAST_REQUIRED_FACTOR = 'Your organization requires two-step verification: add another method before you remove this one.'

/**
 * The one rule for removing a factor: where the org's policy requires a second factor of this
 * user, the last usable one cannot go (they would be held on the set-up page at once). `without`
 * says what the factors look like after the removal. Null when it may go.
 */
export async function lastFactorRefusal(context: Pick<RequestContext, 'org'>, user: { id: string; role: string }, without: (factors: UserFactors) => UserFactors): Promise<string | null> {
	const factors = await loadUserFactors(user.id)
	if (usableSecondFactors(context.org.settings, without(factors)).length > 0) return null
	if (usableSecondFactors(context.org.settings, factors).length === 0) return null
	return (await mfaRequiredOf(context.org, user)) ? LAST_REQUIRED_FACTOR : null
}

export async function removeTotpFactor(context: RequestContext, user: User): Promise<{ ok: true } | { ok: false; message: string }> {
	const refusal = await lastFactorRefusal(context, user, (factors) => ({ ...factors, totp: false }))
	if (refusal) return { ok: false, message: refusal }
	await db().$transaction(async (tx) => {
		if (await removeTotp(tx, user.id)) await recordAuditEvent(tx, { ...auditOf(context, user), type: 'mfa.totp_removed', data: { grantsRevoked: await revokeUserGrants(tx, context.org.id, user.id) } })
	})
	return { ok: true }
}

export async function newBackupCodes(context: RequestContext, user: User): Promise<string[]> {
	return db().$transaction(async (tx) => {
		const codes = await regenerateBackupCodes(tx, user)
		await recordAuditEvent(tx, { ...auditOf(context, user), type: 'mfa.backup_codes_generated', data: { count: codes.length } })
		return codes
	})
}
