import { type RequestContext } from '../../context'
import { safeRedirectPath } from '../sessions/session.server'
import { signInUser } from '../sessions/sign-in.server'
import { loadUserFactors } from './factors.server'
import { startPendingSignIn } from './pending.server'
import { firstFactorAssurance, mfaRequiredFor, usableSecondFactors, type AuthMethod } from './policy'
import { type Tx } from '../../utils/db.server'


export type FirstFactor = Extract<AuthMethod, 'password' | 'magic-link' | 'email-code' | 'email-verification' | 'passkey'>

/**
 * Where the browser goes next and the cookies it gets on the way. `pendingSecondFactor`: no
 * session yet, so the caller must not clear the account's throttle count (a right password must
 * not buy more guesses at the second factor).
 */
export type NextStep = { redirectTo: string; setCookies: string[]; pendingSecondFactor?: boolean }

/** The page where an org's policy sends a user who must set up a second factor before going on. */
export function mfaSetupPath(redirectTo: string) {
	return `/account/security?${new URLSearchParams({ setup: 'required', redirectTo })}`
}

/**
 * Every first factor ends here (password, magic link, email code, verification link, passkey):
 * - a user with a second factor the org uses is not signed in yet: a pending sign-in cookie sends
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
	const { settings } = context.org
	const next = safeRedirectPath(input.redirectTo)
	const assurance = firstFactorAssurance(input.method)
	if (assurance.aal === 'aal1') {
		const methods = usableSecondFactors(settings, await loadUserFactors(input.user.id))
		if (methods.length) {
			const cookie = await startPendingSignIn(context, { userId: input.user.id, organizationId: context.org.id, method: input.method, amr: assurance.amr, redirectTo: next })
			return { redirectTo: '/login/mfa', setCookies: [cookie], pendingSecondFactor: true }
		}
	}
	const setCookies = await signInUser(request, context, { userId: input.user.id, assurance, method: input.method, data: input.data }, tx)
	const mustEnrol = assurance.aal === 'aal1' && mfaRequiredFor(settings, input.user)
	return { redirectTo: mustEnrol ? mfaSetupPath(next) : next, setCookies }
}
