import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { Authenticator } from 'remix-auth'
import { type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { InvalidCredentialsError, PasswordStrategy } from '../../modules/passwords/strategy.server'
import { withSecretThrottle, type SecretCheck } from '../../modules/ratelimit/throttle.server'
import { safeRedirectPath } from '../../modules/sessions/session.server'
import { awaitsSecondFactor, continueAfterFirstFactor, type NextStep } from '../../modules/mfa/sign-in-flow.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { codePagePath, refuseSend, sendVerifyEmail } from '../../modules/verification/flows.server'
import { readFormData } from '../../utils/forms.server'
import { LoginSchema } from './login.schema'

/** Same words whether the email is unknown or the password wrong: no account enumeration. */
export const INVALID_CREDENTIALS = 'Email or password is incorrect.'

/**
 * Password sign-in:
 * - the form is parsed with the shared schema (400 with field messages on garbage);
 * - the check runs under the shared throttle, per account and per IP (429 with no argon2 work when over it);
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
	const checked = await withSecretThrottle(context, { account: email, failure: { type: 'user.sign_in_failed', data: { email, method: 'password' } } }, async (): Promise<SecretCheck<{ unverified: User } | { next: NextStep }>> => {
		let user: User
		try {
			user = await passwordAuthenticator(context).authenticate('password', request)
		} catch (error) {
			if (!(error instanceof InvalidCredentialsError)) throw error
			return { ok: false, reason: error.reason, audit: { actorId: error.userId, targetType: error.userId ? 'user' : null, targetId: error.userId } }
		}
		// The right password, but the org wants a proven address first: no sign-in yet.
		if (context.org.settings.emailVerificationRequired && !user.emailVerified) return { ok: true, value: { unverified: user }, clears: false }
		const next = await continueAfterFirstFactor(request, context, { user, method: 'password', redirectTo })
		// Only a finished sign-in clears the account's failures: the second factor shares the count.
		return { ok: true, value: { next }, clears: !awaitsSecondFactor(next) }
	})
	if (!checked.ok) {
		if (checked.status === 429) {
			return data(
				{ result: submission.reply({ formErrors: [checked.message], hideFields: ['password'] }) },
				{ status: 429, headers: { 'Retry-After': String(checked.retryAfterSeconds) } },
			)
		}
		return data({ result: submission.reply({ formErrors: [INVALID_CREDENTIALS], hideFields: ['password'] }) }, { status: 400 })
	}
	if ('unverified' in checked.value) {
		// The link or code sent now finishes the sign-in. The send limit still applies; the code page offers a resend.
		const user = checked.value.unverified
		const next = redirectTo ? safeRedirectPath(redirectTo) : null
		if (!(await refuseSend(context, user.email))) await sendVerifyEmail(context, user, { signIn: true, redirectTo: next, background: true })
		throw redirect(`${codePagePath('verify-email', user.email, next)}&reason=unverified`)
	}
	const { next } = checked.value
	throw redirect(next.redirectTo, { headers: setCookies(next.setCookies) })
}

function passwordAuthenticator(context: RequestContext) {
	return new Authenticator<User>().use(new PasswordStrategy(context.org))
}
