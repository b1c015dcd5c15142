import { type RequestContext } from '../../../context'
import { db, type Tx } from '../../../utils/db.server'
import { recordAuditEvent, recordAuditEventNow } from '../../audit/audit.server'
import { revokeUserGrants } from '../../oidc/grants.server'
import { withSecretThrottle, type SecretCheck } from '../../ratelimit/throttle.server'
import { consumeCode } from '../../verification/verification.server'
import { normalizeTotpCode } from '../totp'
import { sendSmsCode, type SmsSendRefusal } from './sms.server'

/**
 * A user's phone as a second factor (/account/phone). Rules:
 * - a number becomes a factor only once a code texted to it is typed back; until then it lives only
 *   in its `verify-phone` code, so changing a verified number keeps the old one working until the
 *   new one is proven;
 * - code checks go through the one throttle (per account and IP, shared with every other secret);
 * - every change and every failure is audited; numbers appear in audit data only by their last
 *   digits.
 */

type User = { id: string; email: string }

export type PhoneFactorView = { phoneNumber: string; verifiedAt: Date }

export async function loadVerifiedPhone(userId: string): Promise<PhoneFactorView | null> {
	const row = await db().phoneFactor.findUnique({ where: { userId } })
	return row?.verifiedAt ? { phoneNumber: row.phoneNumber, verifiedAt: row.verifiedAt } : null
}

/** Texts a `verify-phone` code to a number the user wants to add (or change to). */
export async function startPhoneVerification(context: RequestContext, user: User, e164: string): Promise<{ ok: true } | SmsSendRefusal> {
	const sent = await sendSmsCode(context, { type: 'verify-phone', to: e164, userId: user.id })
	if (!sent.ok) return sent
	// After the gateway took the text: a refused send leaves neither a live code nor an event.
	await recordAuditEventNow({ ...auditBase(context, user), type: 'mfa.phone_added', data: { phone: lastDigits(e164), verificationId: sent.verificationId } })
	return { ok: true }
}

export type PhoneCodeCheck<T> = { ok: true; value: T } | { ok: false; status: 400 | 429; message: string; retryAfterSeconds?: number }

const CODE_MESSAGES = {
	malformed: 'Enter the 6-digit code from the text message.',
	wrong: 'That code is not valid. Check the newest text message, or send a new code.',
	expired: 'That code has expired or was already used. Send a new code.',
} as const

/**
 * Checks the code texted to `e164`; when right, the number becomes (or replaces) the user's phone
 * factor and `onVerified` runs in the same transaction (the page upgrades the session there).
 */
export async function confirmPhone<T>(context: RequestContext, user: User, e164: string, rawCode: unknown, onVerified: (tx: Tx) => Promise<T>): Promise<PhoneCodeCheck<T>> {
	const audit = auditBase(context, user)
	const checked = await withSecretThrottle(context, { account: user.email, failure: { ...audit, type: 'mfa.failed', data: { method: 'sms' } } }, () =>
		db().$transaction(async (tx): Promise<SecretCheck<T>> => {
			const code = normalizeTotpCode(rawCode)
			// A malformed entry costs a guess too: it is still someone typing at a code.
			if (!code) return { ok: false, reason: 'malformed' }
			const consumed = await consumeCode(tx, { organizationId: context.org.id, type: 'verify-phone', target: e164, code })
			if (!consumed.ok) return { ok: false, reason: consumed.reason }
			if (consumed.verification.userId !== user.id) return { ok: false, reason: 'invalid' }
			const previous = await tx.phoneFactor.findUnique({ where: { userId: user.id } })
			const now = new Date()
			await tx.phoneFactor.upsert({
				where: { userId: user.id },
				create: { userId: user.id, organizationId: context.org.id, phoneNumber: e164, verifiedAt: now },
				update: { organizationId: context.org.id, phoneNumber: e164, verifiedAt: now },
			})
			await recordAuditEvent(tx, {
				...audit,
				type: 'mfa.phone_verified',
				data: { phone: lastDigits(e164), ...(previous?.verifiedAt && previous.phoneNumber !== e164 ? { replaced: lastDigits(previous.phoneNumber) } : {}) },
			})
			// Proves a number the user is adding, not a secret of the account: the account's failures stand.
			return { ok: true, value: await onVerified(tx), clears: false }
		}),
	)
	if (checked.ok) return checked
	if (checked.status === 429) return { ok: false, status: 429, message: checked.message, retryAfterSeconds: checked.retryAfterSeconds }
	const message = checked.reason === 'malformed' ? CODE_MESSAGES.malformed : checked.reason === 'wrong' ? CODE_MESSAGES.wrong : CODE_MESSAGES.expired
	return { ok: false, status: 400, message }
}

/** Removes the user's phone factor; returns whether there was one. */
export async function removePhone(context: RequestContext, user: User): Promise<boolean> {
	return db().$transaction(async (tx) => {
		const existing = await tx.phoneFactor.findUnique({ where: { userId: user.id } })
		if (!existing) return false
		await tx.phoneFactor.delete({ where: { userId: user.id } })
		// A sign-in code already texted to the number dies with the factor.
		await tx.verification.updateMany({ where: { organizationId: context.org.id, type: 'sms-code', userId: user.id, consumedAt: null }, data: { consumedAt: new Date() } })
		await recordAuditEvent(tx, { ...auditBase(context, user), type: 'mfa.phone_removed', data: { phone: lastDigits(existing.phoneNumber), grantsRevoked: await revokeUserGrants(tx, context.org.id, user.id) } })
		return true
	})
}

function auditBase(context: RequestContext, user: User) {
	return { organizationId: context.org.id, actorId: user.id, targetType: 'user', targetId: user.id, ip: context.ip, userAgent: context.userAgent }
}

/** `+14155550123` → `…0123`: enough for an admin to tell numbers apart, not to dial one. */
export function lastDigits(e164: string): string {
	return `…${e164.slice(-4)}`
}
