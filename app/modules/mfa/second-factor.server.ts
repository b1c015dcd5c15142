import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { orgLink, sendEmailInBackground } from '../email/mailer.server'
import { withSecretThrottle } from '../ratelimit/throttle.server'
import { consumeCode } from '../verification/verification.server'
import { consumeBackupCode } from './backup-codes.server'
import { normalizeTotpCode } from './totp'
import { verifyTotp } from './totp.server'


export type CodeFactor = 'totp' | 'backup-code' | 'sms'

export type FactorCheck =
	| { ok: true }
	/** `restart`: the pending sign-in used up its own cap on wrong codes and must start again at /login. */
	| { ok: false; status: 400 | 429; message: string; retryAfterSeconds?: number; restart?: boolean }

const WRONG: Record<CodeFactor, string> = {
	totp: 'That code is not valid. Enter the current code from your authenticator app.',
	'backup-code': 'That backup code is not valid, or was already used.',
	sms: 'That code is not valid. Check the newest text message, or send a new code.',
}

export const TOO_MANY_FOR_THIS_SIGN_IN = 'Too many wrong codes for this sign-in. Sign in again to get new tries.'

/**
 * Checks a typed second-factor code for `user`, throttled per account and per IP with every other
 * secret check (switching factor buys no extra guesses), and per pending sign-in (`attempt`). On
 * success `onSuccess` runs in the same transaction that used the code (a TOTP step, a backup
 * code, an SMS code), so a code is never spent without its sign-in, nor a sign-in made without
 * spending it. Failures and uses are audited.
 */
export async function verifyCodeFactor<T>(
	context: RequestContext,
	subject: { user: { id: string; email: string }; attempt?: string },
	method: CodeFactor,
	raw: unknown,
	onSuccess: (tx: Tx) => Promise<T>,
): Promise<{ ok: true; value: T } | Exclude<FactorCheck, { ok: true }>> {
	const { user } = subject
	const audit = { actorId: user.id, targetType: 'user', targetId: user.id }
	const checked = await withSecretThrottle(context, { account: user.email, attempt: subject.attempt, failure: { ...audit, type: 'mfa.failed', data: { method } } }, () =>
		db().$transaction(async (tx) => {
			const used = await spendCode(tx, context, user.id, method, raw)
			if (!used.ok) return used
			if (method === 'backup-code') await recordAuditEvent(tx, { ...audit, organizationId: context.org.id, ip: context.ip, userAgent: context.userAgent, type: 'mfa.backup_code_used', data: { left: used.left } })
			return { ok: true as const, value: { left: used.left, value: await onSuccess(tx) } }
		}),
	)
	if (!checked.ok) {
		if (checked.status === 400) return { ok: false, status: 400, message: WRONG[method] }
		if (checked.reason === 'attempts') return { ok: false, status: 429, message: TOO_MANY_FOR_THIS_SIGN_IN, retryAfterSeconds: checked.retryAfterSeconds, restart: true }
		return { ok: false, status: 429, message: checked.message, retryAfterSeconds: checked.retryAfterSeconds }
	}
	if (method === 'backup-code') {
		sendEmailInBackground(context.org, user.email, 'backup-code-used', { when: new Date().toUTCString(), left: checked.value.left ?? 0, securityUrl: orgLink(context.org, '/account/security') })
	}
	return { ok: true, value: checked.value.value }
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
