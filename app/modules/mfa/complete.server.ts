import { type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { getSessionUser, safeRedirectPath } from '../sessions/session.server'
import { signInUser } from '../sessions/sign-in.server'
import { readPendingSignIn } from './pending.server'
import { secondFactorAssurance, type SecondFactorMethod } from './policy'
import { type NextStep } from './sign-in-flow.server'

/**
 * Who is passing a second factor on /login/mfa: a pending sign-in (first factor done, no session
 * yet), or else a signed-in user stepping up (a sensitive change, an app asking for aal2, or an
 * org that began requiring MFA). Null when neither: the page sends them to sign in. Only the
 * second-factor page and the passkey second factor ask this; setting a factor up never does
 * (see upgradeOwnSession), so a pending sign-in is only ever finished by its own user's factor.
 */
export type SecondFactorSubject = {
	user: User
	kind: 'sign-in' | 'step-up'
	/** Methods already proven, carried into the new session's amr. */
	amr: string[]
	redirectTo: string
	/** The pending sign-in's id, whose wrong factors are capped on their own. */
	attempt?: string
}

export async function secondFactorSubject(request: Request, context: RequestContext, requestedRedirect?: string | null): Promise<SecondFactorSubject | null> {
	const pending = await readPendingSignIn(request, context)
	if (pending) {
		const user = await db().user.findFirst({ where: { id: pending.userId, organizationId: context.org.id, disabledAt: null } })
		if (user) return { user, kind: 'sign-in', amr: pending.amr, redirectTo: pending.redirectTo, attempt: pending.id }
	}
	const current = await getSessionUser(request, context)
	if (!current) return null
	return { user: current.user, kind: 'step-up', amr: current.session.amr, redirectTo: safeRedirectPath(requestedRedirect) }
}

/**
 * The second factor passed: a new session at aal2 replaces whatever the browser had (rotation),
 * the pending cookie goes (signInUser clears it), and the browser continues where it was heading.
 * Pass the transaction that used the factor so both commit together.
 */
export async function completeSecondFactor(
	request: Request,
	context: RequestContext,
	subject: SecondFactorSubject,
	method: SecondFactorMethod,
	tx?: Tx,
): Promise<NextStep> {
	const setCookies = await signInUser(
		request,
		context,
		{
			userId: subject.user.id,
			assurance: secondFactorAssurance(subject.amr, method),
			method,
			sameBrowser: subject.kind === 'step-up',
			data: { secondFactor: method, ...(subject.kind === 'step-up' ? { stepUp: true } : {}) },
		},
		tx,
	)
	return { step: { kind: 'continue', to: subject.redirectTo }, redirectTo: subject.redirectTo, setCookies }
}

/**
 * A factor just set up (authenticator app, phone, passkey) is also a second factor passed: an aal1
 * session of the user who set it up becomes aal2 (null when it already is). It raises only that
 * session, from the session itself: a pending sign-in cookie in the same browser (someone else's
 * password typed here) is never read.
 */
export async function upgradeOwnSession(
	request: Request,
	context: RequestContext,
	current: { user: User; session: { aal: string; amr: string[] } },
	method: SecondFactorMethod,
	redirectTo: string,
	tx: Tx,
): Promise<NextStep | null> {
	if (current.session.aal === 'aal2') return null
	return completeSecondFactor(request, context, { user: current.user, kind: 'step-up', amr: current.session.amr, redirectTo }, method, tx)
}
