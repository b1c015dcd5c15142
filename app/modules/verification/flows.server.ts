import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { orgLink, sendEmail, sendEmailInBackground } from '../email/mailer.server'
import { checkSendLimit, sendLimitMessage } from '../ratelimit/send-limit.server'
import { CODE_TTL_MINUTES, issueVerification, LINK_TTL_MINUTES, type VerificationType } from './verification.server'

/**
 * The sending half of every email flow. Each request answers the same whether or not the address
 * has an account (no enumeration): lookups happen here, mail goes out in the background, and the
 * per-address send limit counts requests, not messages.
 */

export type SendRefusal = { status: 429; message: string; retryAfterSeconds: number }

/** Asks the send limit for this address and the client IP; null when sending may go ahead. */
export async function refuseSend(context: RequestContext, address: string): Promise<SendRefusal | null> {
	const verdict = await checkSendLimit({ organizationId: context.org.id, address, ip: context.ip })
	if (verdict.allowed) return null
	return { status: 429, message: sendLimitMessage(verdict.retryAfterSeconds), retryAfterSeconds: verdict.retryAfterSeconds }
}

/** The page where a code from an email is typed (links in the same email skip it). */
export function codePagePath(type: VerificationType, target: string, redirectTo?: string | null) {
	const query = new URLSearchParams({ type, target })
	if (redirectTo) query.set('redirectTo', redirectTo)
	return `/verify?${query}`
}

async function findEnabledUser(organizationId: string, email: string) {
	const user = await db().user.findUnique({ where: { organizationId_email: { organizationId, email } } })
	return user && !user.disabledAt ? user : null
}

/**
 * Link and code to confirm an address. `signIn` lets the link or code start a session (sign-up,
 * or a password sign-in held back until the address is verified); from /account it only verifies.
 */
export async function sendVerifyEmail(
	context: RequestContext,
	user: { id: string; email: string },
	options: { signIn: boolean; redirectTo?: string | null; background?: boolean },
) {
	const issued = await db().$transaction((tx) =>
		issueVerification(tx, {
			organizationId: context.org.id,
			type: 'verify-email',
			target: user.email,
			userId: user.id,
			data: { signIn: options.signIn, redirectTo: options.redirectTo ?? null },
			link: true,
			code: true,
		}),
	)
	const props = { url: orgLink(context.org, '/verify', { token: issued.token! }), code: issued.code!, expiresInMinutes: CODE_TTL_MINUTES }
	if (options.background) sendEmailInBackground(context.org, user.email, 'verify-email', props)
	else await sendEmail(context.org, user.email, 'verify-email', props)
}

/** Sign-up with an address that already has an account: its owner hears of it; the page says the same as for a new address. */
export function sendAccountExists(context: RequestContext, email: string) {
	sendEmailInBackground(context.org, email, 'account-exists', {
		signInUrl: orgLink(context.org, '/login'),
		resetUrl: orgLink(context.org, '/forgot-password'),
	})
}

export async function sendSignInLink(context: RequestContext, email: string, redirectTo: string | null) {
	const user = await findEnabledUser(context.org.id, email)
	if (!user) return
	const issued = await db().$transaction((tx) =>
		issueVerification(tx, { organizationId: context.org.id, type: 'magic-link', target: email, userId: user.id, data: { redirectTo }, link: true, code: false }),
	)
	sendEmailInBackground(context.org, email, 'magic-link', { url: orgLink(context.org, '/verify', { token: issued.token! }), expiresInMinutes: LINK_TTL_MINUTES })
}

export async function sendSignInCode(context: RequestContext, email: string) {
	const user = await findEnabledUser(context.org.id, email)
	if (!user) return
	const issued = await db().$transaction((tx) =>
		issueVerification(tx, { organizationId: context.org.id, type: 'sign-in-code', target: email, userId: user.id, link: false, code: true }),
	)
	sendEmailInBackground(context.org, email, 'sign-in-code', { code: issued.code!, expiresInMinutes: CODE_TTL_MINUTES })
}

export async function sendPasswordReset(context: RequestContext, email: string) {
	const user = await findEnabledUser(context.org.id, email)
	if (!user) return
	const issued = await db().$transaction((tx) =>
		issueVerification(tx, { organizationId: context.org.id, type: 'reset-password', target: email, userId: user.id, link: true, code: false }),
	)
	sendEmailInBackground(context.org, email, 'reset-password', { url: orgLink(context.org, '/verify', { token: issued.token! }), expiresInMinutes: LINK_TTL_MINUTES })
}

/**
 * Confirms a new address before it replaces the old one; the old address is told once the change
 * is made (see the verify route). Whether the new address is taken is checked when the link is
 * used, by which point only its owner can learn it.
 */
export async function sendEmailChange(context: RequestContext, user: { id: string; email: string }, newEmail: string) {
	const issued = await db().$transaction((tx) =>
		issueVerification(tx, {
			organizationId: context.org.id,
			type: 'change-email',
			target: newEmail,
			userId: user.id,
			data: { oldEmail: user.email, newEmail },
			link: true,
			code: false,
		}),
	)
	await sendEmail(context.org, newEmail, 'email-change-requested', {
		url: orgLink(context.org, '/verify', { token: issued.token! }),
		newEmail,
		expiresInMinutes: LINK_TTL_MINUTES,
	})
}

export function notifyPasswordChanged(context: RequestContext, email: string) {
	sendEmailInBackground(context.org, email, 'password-changed', { when: new Date().toUTCString(), resetUrl: orgLink(context.org, '/forgot-password') })
}

export function notifyEmailChanged(context: RequestContext, oldEmail: string, newEmail: string) {
	sendEmailInBackground(context.org, oldEmail, 'email-changed', { oldEmail, newEmail, supportUrl: orgLink(context.org, '/forgot-password') })
}
