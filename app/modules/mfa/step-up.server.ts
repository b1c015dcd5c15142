import { redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { loadUserFactors } from './factors.server'
import { usableSecondFactors } from './policy'

/**
 * Step-up: changing the password, the email, a factor, or deleting the account needs a sign-in
 * or a second factor within the last STEP_UP_MINUTES. Every sign-in and every second factor
 * passed starts a new session (rotation), so the session's creation time is the moment the user
 * last proved who they are.
 */
export const STEP_UP_MINUTES = 10

export function isRecentlyAuthenticated(session: { createdAt: Date }, now = Date.now()) {
	return now - session.createdAt.getTime() <= STEP_UP_MINUTES * 60_000
}

/**
 * Throws a redirect to prove it again, then come back to this page (a GET: a form posted with a
 * stale session is shown again, not replayed): a second factor where the user has one, else a
 * fresh sign-in.
 */
export async function requireRecentAuthentication(
	request: Request,
	context: Pick<RequestContext, 'org'>,
	current: { session: { createdAt: Date }; user: { id: string } },
	returnTo?: string,
) {
	if (isRecentlyAuthenticated(current.session)) return
	const url = new URL(request.url)
	const back = returnTo ?? `${url.pathname}${url.search}`
	const methods = usableSecondFactors(context.org.settings, await loadUserFactors(current.user.id))
	if (methods.length) throw redirect(`/login/mfa?${new URLSearchParams({ redirectTo: back })}`)
	throw redirect(`/login?${new URLSearchParams({ redirectTo: back, reauth: '1', notice: 'step-up' })}`)
}
