import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent, recordAuditEventNow } from '../audit/audit.server'
import { orgLink, sendEmailInBackground } from '../email/mailer.server'
import { checkThrottle, recordFailure, recordSuccess, throttleMessage } from '../ratelimit/throttle.server'
import { consumeCode } from '../verification/verification.server'
import { consumeBackupCode } from './backup-codes.server'
import { normalizeTotpCode } from './totp'
import { verifyTotp } from './totp.server'


export type CodeFactor = 'totp' | 'backup-code' | 'sms'

export type FactorCheck = { ok: true } | { ok: false; status: 400 | 429; message: string; retryAfterSeconds?: number }

const WRONG: Record<CodeFactor, string> = {
	totp: 'That code is not valid. Enter the current code from your authenticator app.',
	'backup-code': 'That backup code is not valid, or was already used.',
	sms: 'That code is not valid. Check the newest text message, or send a new code.',
}

/**
 * Checks a typed second-factor code for `user`, throttled per account and per IP with every other
 * secret check (switching factor buys no extra guesses). On success `onSuccess` runs in the same
 * transaction that used the code (a TOTP step, a backup code, an SMS code), so a code is never
 * spent without its sign-in, nor a sign-in made without spending it. Failures and uses are audited.
 */
export async function verifyCodeFactor<T>(
	context: RequestContext,
	user: { id: string; email: string },
	method: CodeFactor,
	raw: unknown,
	onSuccess: (tx: Tx) => Promise<T>,
): Promise<{ ok: true; value: T } | Exclude<FactorCheck, { ok: true }>> {
	const key = { organizationId: context.org.id, account: user.email, ip: context.ip }
	const verdict = await checkThrottle(key)
	if (!verdict.allowed) return { ok: false, status: 429, message: throttleMessage(verdict.retryAfterSeconds), retryAfterSeconds: verdict.retryAfterSeconds }
	const audit = { organizationId: context.org.id, actorId: user.id, targetType: 'user', targetId: user.id, ip: context.ip, userAgent: context.userAgent }

	const outcome = await db().$transaction(async (tx) => {
		const used = await spendCode(tx, context, user.id, method, raw)
		if (!used.ok) return used
		if (method === 'backup-code') await recordAuditEvent(tx, { ...audit, type: 'mfa.backup_code_used', data: { left: used.left } })
		return { ok: true as const, left: used.left, value: await onSuccess(tx) }
	})
	if (!outcome.ok) {
		await recordFailure(key)
		await recordAuditEventNow({ ...audit, type: 'mfa.failed', data: { method, reason: outcome.reason } })
		return { ok: false, status: 400, message: WRONG[method] }
	}
	await recordSuccess(key)
	if (method === 'backup-code') {
		sendEmailInBackground(context.org, user.email, 'backup-code-used', { when: new Date().toUTCString(), left: outcome.left ?? 0, securityUrl: orgLink(context.org, '/account/security') })
	}
	return { ok: true, value: outcome.value }
}

type Used = { ok: true; left?: number } | { ok: false; reason: string }

async function spendCode(tx: Tx, context: RequestContext, userId: string, method: CodeFactor, raw: unknown): Promise<Used> {
	if (method === 'backup-code') {
		const used = typeof raw === 'string' ? await consumeBackupCode(tx, userId, raw) : null
		return used ? { ok: true, left: used.left } : { ok: false, reason: 'wrong_code' }
	}
	const code = normalizeTotpCode(raw)
	if (!code) return { ok: false, reason: 'malformed' }
	if (method === 'totp') {
		const checked = await verifyTotp(tx, userId, code)
		return checked.ok ? { ok: true } : { ok: false, reason: checked.reason }
	}
	const phone = await tx.phoneFactor.findUnique({ where: { userId } })
	if (!phone?.verifiedAt) return { ok: false, reason: 'no_phone' }
	const checked = await consumeCode(tx, { organizationId: context.org.id, type: 'sms-code', target: phone.phoneNumber, code })
	if (!checked.ok) return { ok: false, reason: checked.reason }
	return checked.verification.userId === userId ? { ok: true } : { ok: false, reason: 'invalid' }
}
