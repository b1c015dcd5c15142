import { redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { authStepFor } from './auth-step.server'
import { authStepPath } from './next-step'

export { isRecentlyAuthenticated, STEP_UP_MINUTES } from './auth-step.server'

/**
 * Throws a redirect to prove it again, then come back to this page (a GET: a form posted with a
 * stale session is shown again, not replayed): a second factor where the user has one, else a
 * fresh sign-in.
 */
export async function requireRecentAuthentication(
	request: Request,
	context: Pick<RequestContext, 'org'>,
	current: { session: { createdAt: Date; aal: string }; user: { id: string; role: string } },
	returnTo?: string,
) {
	const url = new URL(request.url)
	const to = returnTo ?? `${url.pathname}${url.search}`
	const step = await authStepFor(context, { user: current.user, assurance: { aal: current.session.aal === 'aal2' ? 'aal2' : 'aal1', createdAt: current.session.createdAt }, needs: { fresh: true }, to })
	if (step.kind !== 'continue') throw redirect(authStepPath(step))
}
