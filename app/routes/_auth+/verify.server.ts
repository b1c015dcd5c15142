import { data, redirect } from '@remix-run/node'
import { z } from 'zod'
import { type Prisma, type Verification } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { recordAuditEvent } from '../../modules/audit/audit.server'
import { hashPassword } from '../../modules/passwords/hash.server'
import { checkNewPassword } from '../../modules/passwords/new-password.server'
import { replacePassword } from '../../modules/passwords/replace.server'
import { withSecretThrottle, type SecretCheck } from '../../modules/ratelimit/throttle.server'
import { safeRedirectPath } from '../../modules/sessions/session.server'
import { type AuthStep } from '../../modules/mfa/next-step'
import { continueAfterFirstFactor, type FirstFactor } from '../../modules/mfa/sign-in-flow.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { emailSchema } from '../../modules/users/email'
import { notifyEmailChanged, notifyPasswordChanged, refuseSend, sendSignInCode, sendVerifyEmail } from '../../modules/verification/flows.server'
import { consumeCode, consumeToken, findByToken, VERIFICATION_TYPES, type VerificationType } from '../../modules/verification/verification.server'
import { config } from '../../utils/config.server'
import { db, isUniqueViolation } from '../../utils/db.server'

/**
 * `/verify`, the one place a link or code from an email is used. Rules:
 * - GET never uses a secret (mail scanners open links): it shows what the link will do and a
 *   button; POST uses it, atomically;
 * - a method the org has turned off refuses with 404, as its routes do;
 * - wrong and expired codes get one message, the same whether or not the address has an
 *   account; each wrong code and each unknown link counts in the shared throttle;
 * - every outcome is a page with a way to ask for a new message, never a 500.
 */

export const CODE_TYPES = ['verify-email', 'sign-in-code'] as const satisfies VerificationType[]
export type CodeType = (typeof CODE_TYPES)[number]

export const BAD_CODE = 'That code is not valid. Check the newest email, or send a new code.'

const LINK_PROBLEMS = {
	invalid: 'This link is not valid here. It may be incomplete, or meant for another organization.',
	expired: 'This link has expired.',
	used: 'This link has already been used.',
} as const

export type LinkProblem = keyof typeof LINK_PROBLEMS

/** The kinds of secret that travel as a link (SMS and phone codes never do). */
const LINK_TYPES = ['verify-email', 'reset-password', 'magic-link', 'change-email'] as const satisfies VerificationType[]
type LinkType = (typeof LINK_TYPES)[number]
const isLinkType = (type: string): type is LinkType => (LINK_TYPES as readonly string[]).includes(type)

export function linkProblemMessage(reason: LinkProblem) {
	return LINK_PROBLEMS[reason]
}

/** A method switched off in the org's settings: its links and codes are refused like its routes. */
export function requireTypeEnabled(context: RequestContext, type: string) {
	const { settings } = context.org
	const off =
		(type === 'magic-link' && !settings.magicLinkSignIn) ||
		(type === 'sign-in-code' && !settings.emailCodeSignIn) ||
		(type === 'reset-password' && !settings.passwordSignIn)
	if (off || !(VERIFICATION_TYPES as readonly string[]).includes(type)) throw data('Not found', { status: 404 })
}

/** One inspection per request: a rejected POST renders the page, whose loader looks at the same link again. */
const inspected = new WeakMap<RequestContext, Promise<LinkInspection>>()

type LinkInspection = { ok: true; type: LinkType; email: string; newEmail: string | null } | { ok: false; reason: LinkProblem }

/**
 * For the GET page: what the link is for, or why it cannot be used. Looking a token up is a secret
 * check like any other: an unknown token counts against the IP (there is no account to name yet);
 * an expired or used one is a real link, so it costs no guess.
 */
export function inspectLink(context: RequestContext, token: string): Promise<LinkInspection> {
	let inspection = inspected.get(context)
	if (!inspection) inspected.set(context, (inspection = lookUpLink(context, token)))
	return inspection
}

async function lookUpLink(context: RequestContext, token: string): Promise<LinkInspection> {
	const checked = await withSecretThrottle(context, { account: `link:${context.ip}`, failure: { type: 'user.link_failed' } }, async () => {
		const found = await findByToken(context.org.id, token)
		return found.ok || found.reason !== 'invalid' ? { ok: true, value: found, clears: false } : { ok: false, reason: 'unknown_link' }
	})
	if (!checked.ok) {
		if (checked.status === 429) throw data({ problem: checked.message }, { status: 429, headers: { 'Retry-After': String(checked.retryAfterSeconds) } })
		return { ok: false, reason: 'invalid' }
	}
	const found = checked.value
	if (!found.ok) return { ok: false, reason: found.reason }
	requireTypeEnabled(context, found.verification.type)
	const { type } = found.verification
	if (!isLinkType(type)) return { ok: false, reason: 'invalid' }
	const stored = found.verification.data as { newEmail?: string }
	return { ok: true, type, email: found.verification.target, newEmail: stored.newEmail ?? null }
}

/** POST with a link token: uses it and does what it is for. */
export async function redeemLink(request: Request, context: RequestContext, form: FormData) {
	const token = String(form.get('token') ?? '')
	const inspected = await inspectLink(context, token)
	if (!inspected.ok) return data({ problem: linkProblemMessage(inspected.reason), fieldErrors: null }, { status: 400 })
	if (inspected.type === 'reset-password') return resetPassword(context, token, form, inspected.email)
	const outcome = await db().$transaction(async (tx) => {
		const used = await consumeToken(tx, context.org.id, token, inspected.type)
		if (!used.ok) return { problem: linkProblemMessage(used.reason) }
		return complete(tx, request, context, used.verification, null)
	})
	return finish(outcome)
}

const codeForm = z.object({
	type: z.enum(CODE_TYPES),
	target: emailSchema,
	code: z
		.string()
		.trim()
		.transform((value) => value.replace(/[\s-]/g, ''))
		.pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from the email')),
	redirectTo: z.string().max(2048).optional().catch(undefined),
})

/** POST with a typed code. */
export async function redeemCode(request: Request, context: RequestContext, form: FormData) {
	const parsed = codeForm.safeParse(Object.fromEntries(form))
	if (!parsed.success) {
		const fieldErrors = parsed.error.flatten().fieldErrors
		return data({ problem: fieldErrors.code ? null : 'This form is incomplete. Start again from the email.', fieldErrors }, { status: 400 })
	}
	const { type, target, code, redirectTo } = parsed.data
	requireTypeEnabled(context, type)
	const checked = await withSecretThrottle(context, { account: target, failure: { type: 'user.code_failed', data: { email: target, kind: type } } }, () =>
		db().$transaction(async (tx): Promise<SecretCheck<Outcome>> => {
			const consumed = await consumeCode(tx, { organizationId: context.org.id, type, target, code })
			if (!consumed.ok) return { ok: false, reason: consumed.reason }
			const outcome = await complete(tx, request, context, consumed.verification, redirectTo ?? null)
			// A code that leads on to a second factor is no finished sign-in: the account's failures stand.
			return { ok: true, value: outcome, clears: !('step' in outcome && outcome.step?.kind === 'second-factor') }
		}),
	)
	if (!checked.ok) {
		if (checked.status === 429) return data({ problem: checked.message, fieldErrors: null }, { status: 429, headers: { 'Retry-After': String(checked.retryAfterSeconds) } })
		return data({ problem: null, fieldErrors: { code: [BAD_CODE] } }, { status: 400 })
	}
	return finish(checked.value)
}

/** POST "send a new one" from the code page: answers the same whether or not the address has an account. */
export async function resend(context: RequestContext, form: FormData) {
	const type = String(form.get('type') ?? '')
	const target = emailSchema.safeParse(form.get('target'))
	if (!target.success || !(CODE_TYPES as readonly string[]).includes(type)) return data({ problem: 'This form is incomplete. Start again.', fieldErrors: null }, { status: 400 })
	requireTypeEnabled(context, type)
	const refusal = await refuseSend(context, target.data)
	if (refusal) return data({ problem: refusal.message, fieldErrors: null }, { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } })
	if (type === 'sign-in-code') await sendSignInCode(context, target.data)
	else {
		const user = await db().user.findUnique({ where: { organizationId_email: { organizationId: context.org.id, email: target.data } } })
		const redirectTo = form.get('redirectTo')
		if (user && !user.emailVerified && !user.disabledAt) {
			await sendVerifyEmail(context, user, { signIn: true, redirectTo: typeof redirectTo === 'string' && redirectTo ? safeRedirectPath(redirectTo) : null, background: true })
		}
	}
	return { problem: null, fieldErrors: null, resent: true }
}

/** `notify` runs once the transaction has committed, so no email announces a change that rolled back. */
type Outcome = { problem: string; status?: number } | { redirectTo: string; cookies: string[]; notify?: () => void; step?: AuthStep }

function finish(outcome: Outcome) {
	if ('problem' in outcome) return data({ problem: outcome.problem, fieldErrors: null }, { status: outcome.status ?? 400 })
	outcome.notify?.()
	throw redirect(outcome.redirectTo, { headers: setCookies(outcome.cookies) })
}

/** What each kind of secret does once used; runs in the transaction that used it. */
async function complete(tx: Prisma.TransactionClient, request: Request, context: RequestContext, verification: Verification, formRedirect: string | null): Promise<Outcome> {
	const user = verification.userId ? await tx.user.findUnique({ where: { id: verification.userId } }) : null
	if (!user || user.organizationId !== context.org.id || user.disabledAt) return { problem: linkProblemMessage('invalid') }
	const stored = verification.data as { signIn?: boolean; redirectTo?: string | null; newEmail?: string; oldEmail?: string }
	const audit = { organizationId: context.org.id, actorId: user.id, targetType: 'user', targetId: user.id, ip: context.ip, userAgent: context.userAgent }
	const signIn = async (method: FirstFactor) => {
		const next = await continueAfterFirstFactor(request, context, { user, method, redirectTo: stored.redirectTo ?? formRedirect }, tx)
		return { redirectTo: next.redirectTo, cookies: next.setCookies, step: next.step }
	}

	switch (verification.type) {
		case 'verify-email': {
			// An address changed since the message was sent is not the one this secret proves.
			if (user.email !== verification.target) return { problem: linkProblemMessage('invalid') }
			if (!user.emailVerified) {
				await tx.user.update({ where: { id: user.id }, data: { emailVerified: true } })
				await recordAuditEvent(tx, { ...audit, type: 'user.email_verified', data: { email: user.email } })
			}
			return stored.signIn ? signIn('email-verification') : { redirectTo: '/account?notice=email-verified', cookies: [] }
		}
		case 'magic-link':
		case 'sign-in-code': {
			if (user.email !== verification.target) return { problem: linkProblemMessage('invalid') }
			// Receiving the message proves the address as well as any verification email would.
			if (!user.emailVerified) await tx.user.update({ where: { id: user.id }, data: { emailVerified: true } })
			return signIn(verification.type === 'magic-link' ? 'magic-link' : 'email-code')
		}
		case 'change-email': {
			const newEmail = stored.newEmail ?? verification.target
			try {
				await tx.user.update({ where: { id: user.id }, data: { email: newEmail, emailVerified: true } })
			} catch (error) {
				if (isUniqueViolation(error)) return { problem: 'Another account already uses this email address, so it cannot be moved to yours.', status: 409 }
				throw error
			}
			await recordAuditEvent(tx, { ...audit, type: 'user.email_changed', data: { from: user.email, to: newEmail } })
			return { redirectTo: '/account?notice=email-changed', cookies: [], notify: () => notifyEmailChanged(context, user.email, newEmail) }
		}
		default:
			return { problem: linkProblemMessage('invalid') }
	}
}

/**
 * A new password from a reset link: the policy is checked before the link is used (a rejected
 * password leaves the link working); then the link, the new hash, the end of every session and
 * the audit event commit together. The user signs in again with the new password.
 */
async function resetPassword(context: RequestContext, token: string, form: FormData, email: string) {
	const raw = form.get('password')
	if (typeof raw !== 'string' || raw.length === 0) return data({ problem: null, fieldErrors: { password: ['Enter a new password'] } }, { status: 400 })
	const check = await checkNewPassword(context.org, raw, email)
	if (!check.ok) return data({ problem: null, fieldErrors: { password: [check.message] } }, { status: 400 })
	const hash = await hashPassword(check.password, config().secrets.passwordPepper)
	const outcome = await db().$transaction(async (tx): Promise<Outcome> => {
		const used = await consumeToken(tx, context.org.id, token, 'reset-password')
		if (!used.ok) return { problem: linkProblemMessage(used.reason) }
		const user = used.verification.userId ? await tx.user.findUnique({ where: { id: used.verification.userId } }) : null
		if (!user || user.disabledAt || user.email !== used.verification.target) return { problem: linkProblemMessage('invalid') }
		await replacePassword(tx, { userId: user.id, hash, reason: 'user.password_reset' }, context)
		// The reset link proves the address too.
		await tx.user.update({ where: { id: user.id }, data: { emailVerified: true } })
		return { redirectTo: '/login?notice=password-reset', cookies: [], notify: () => notifyPasswordChanged(context, user.email) }
	})
	return finish(outcome)
}
