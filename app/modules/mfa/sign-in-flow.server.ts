import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { clearSessionCookieHeader, revokeCurrentSession, safeRedirectPath } from '../sessions/session.server'
import { signInUser } from '../sessions/sign-in.server'
import { authStepFor } from './auth-step.server'
import { authStepPath, type AuthStep } from './next-step'
import { startPendingSignIn } from './pending.server'
import { firstFactorAssurance, type AuthMethod } from './policy'

export type FirstFactor = Extract<AuthMethod, 'password' | 'magic-link' | 'email-code' | 'email-verification' | 'passkey'>

/** Where the browser goes after a factor (the step, and its URL for the redirect) and the cookies it gets on the way. */
export type NextStep = { step: AuthStep; redirectTo: string; setCookies: string[] }

/** A sign-in that still needs its second factor: the caller must not clear the account's failure count. */
export function awaitsSecondFactor(next: NextStep) {
	return next.step.kind === 'second-factor'
}

/**
 * Every first factor ends here (password, magic link, email code, verification link, passkey,
 * invitation):
 * - whatever session the browser had ends now, whoever it was for: a browser never holds one
 *   user's session and another's sign-in, so nothing later can mix the two;
 * - a user with a second factor the org uses gets no session yet: a pending sign-in cookie sends
 *   them to /login/mfa, which creates the session once the second factor passes;
 * - otherwise the session starts now; when the org requires MFA of this user and they have no
 *   factor, they go on to set one up before anything else (requireUser holds them there).
 * A passkey is two factors in one and never asks for another.
 */
export async function continueAfterFirstFactor(
	request: Request,
	context: RequestContext,
	input: { user: { id: string; role: string }; method: FirstFactor; redirectTo?: string | null; data?: Record<string, unknown> },
	tx?: Tx,
): Promise<NextStep> {
	const to = safeRedirectPath(input.redirectTo)
	const assurance = firstFactorAssurance(input.method)
	// A user who has a second factor passes it at every sign-in; the policy may demand one of users who have none.
	const step = await authStepFor(context, { user: input.user, assurance, needs: { policy: true, factorIfAny: true }, to })
	if (step.kind === 'second-factor') {
		const endPrevious = (tx: Tx) => revokeCurrentSession(tx, request, context)
		await (tx ? endPrevious(tx) : db().$transaction(endPrevious))
		const pending = await startPendingSignIn(context, { userId: input.user.id, organizationId: context.org.id, method: input.method, amr: assurance.amr, redirectTo: to })
		const pendingStep: AuthStep = { ...step, pending: true }
		return { step: pendingStep, redirectTo: authStepPath(pendingStep), setCookies: [pending, clearSessionCookieHeader(context)] }
	}
	const setCookies = await signInUser(request, context, { userId: input.user.id, assurance, method: input.method, data: input.data }, tx)
	return { step, redirectTo: authStepPath(step), setCookies }
}
