import { data } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { requireUser } from '../sessions/session.server'

/** Roles that may use the org's /admin console (User.role: owner | admin | member). */
const ADMIN_ROLES = new Set(['owner', 'admin'])

/**
 * The /admin guard: anonymous visitors go to sign in (and come back), signed-in members get a
 * 403 page. Sessions are per org, so an admin of one org is nobody on another org's host.
 * A later change replaces roles with permission statements; callers keep this name and shape.
 */
export async function requireOrgAdmin(request: Request, context: Pick<RequestContext, 'org' | 'secure'>) {
	const { user, session } = await requireUser(request, context)
	if (!ADMIN_ROLES.has(user.role)) throw data("You don't have access to this page.", { status: 403 })
	return { user, session }
}
