import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { Authenticator } from 'remix-auth'
import { type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { recordAuditEventNow } from '../../modules/audit/audit.server'
import { InvalidCredentialsError, PasswordStrategy } from '../../modules/passwords/strategy.server'
import { checkThrottle, recordFailure, recordSuccess, throttleMessage } from '../../modules/ratelimit/throttle.server'
import { safeRedirectPath } from '../../modules/sessions/session.server'
import { continueAfterFirstFactor } from '../../modules/mfa/sign-in-flow.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { codePagePath, refuseSend, sendVerifyEmail } from '../../modules/verification/flows.server'
import { readFormData } from '../../utils/forms.server'
import { LoginSchema } from './login.schema'

/** Same words whether the email is unknown or the password wrong: no account enumeration. */
export const INVALID_CREDENTIALS = 'Email or password is incorrect.'

/**
 * Password sign-in:
 * - the form is parsed with the shared schema (400 with field messages on garbage);
 * - the throttle is asked first, per account and per IP (429, no argon2 work);
 * - the password strategy verifies (a dummy verify for unknown emails keeps timing flat);
 * - success goes on to the second factor when the user has one; otherwise it rotates the session
 *   (any session the browser had is revoked) in the same transaction as its audit event, unless
 *   the org requires a verified address first.
 */
export async function signInWithPassword(request: Request, context: RequestContext) {
	const formData = await readFormData(request.clone())
	const submission = parseWithZod(formData, { schema: LoginSchema })
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	}
	const { email, redirectTo } = submission.value
	const key = { organizationId: context.org.id, account: email, ip: context.ip }

	const verdict = await checkThrottle(key)
	if (!verdict.allowed) {
		return data(
			{ result: submission.reply({ formErrors: [throttleMessage(verdict.retryAfterSeconds)], hideFields: ['password'] }) },
			{ status: 429, headers: { 'Retry-After': String(verdict.retryAfterSeconds) } },
		)
	}

	let user: User
	try {
		user = await passwordAuthenticator(context).authenticate('password', request)
	} catch (error) {
		if (!(error instanceof InvalidCredentialsError)) throw error
		await recordFailure(key)
		await recordAuditEventNow({
			organizationId: context.org.id,
			type: 'user.sign_in_failed',
			actorId: error.userId,
			targetType: error.userId ? 'user' : null,
			targetId: error.userId,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { email, method: 'password', reason: error.reason },
		})
		return data({ result: submission.reply({ formErrors: [INVALID_CREDENTIALS], hideFields: ['password'] }) }, { status: 400 })
	}

	if (context.org.settings.emailVerificationRequired && !user.emailVerified) {
		// The right password, but the org wants a proven address first: the link or code sent now
		// finishes the sign-in. The send limit still applies; the code page offers a resend.
		const next = redirectTo ? safeRedirectPath(redirectTo) : null
		if (!(await refuseSend(context, user.email))) await sendVerifyEmail(context, user, { signIn: true, redirectTo: next, background: true })
		throw redirect(`${codePagePath('verify-email', user.email, next)}&reason=unverified`)
	}
	const next = await continueAfterFirstFactor(request, context, { user, method: 'password', redirectTo })
	// Only a finished sign-in clears the account's failures: the second factor shares the count.
	if (!next.pendingSecondFactor) await recordSuccess(key)
	throw redirect(next.redirectTo, { headers: setCookies(next.setCookies) })
}

function passwordAuthenticator(context: RequestContext) {
	return new Authenticator<User>().use(new PasswordStrategy(context.org))
}
