import { data } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { requireUser } from '../sessions/session.server'
import { permissionsOf } from './grants.server'
import { hasAnyPermission, hasPermission, type Permissions } from './statements'

export { permissionsOf }

const FORBIDDEN = "You don't have access to this page."

/**
 * The one guard for the consoles: anonymous visitors go to sign in (and come back), signed-in
 * users without the statements get a 403 page. Sessions are per org host, so a member or admin
 * of one org is nobody on another org's host. Pass `{}` for "any console permission at all".
 */
export async function requireOrgPermission(request: Request, context: Pick<RequestContext, 'org' | 'secure'>, required: Permissions) {
	const current = await requireUser(request, context)
	const permissions = await permissionsOf(context.org.id, current.user.role)
	const allowed = Object.keys(required).length === 0 ? hasAnyPermission(permissions) : hasPermission(permissions, required)
	if (!allowed) throw data(FORBIDDEN, { status: 403 })
	return { ...current, permissions }
}

/** For an action whose permission depends on the form (e.g. update vs delete): 403 unless `granted` holds `required`. */
export function assertPermission(granted: Permissions, required: Permissions) {
	if (!hasPermission(granted, required)) throw data(FORBIDDEN, { status: 403 })
}

/**
 * The operator console's guard: the path exists only on the operator host (404 elsewhere), and
 * only the operator org's members with the statements may use it.
 */
export async function requireOperatorPermission(request: Request, context: Pick<RequestContext, 'org' | 'secure'>, required: Permissions) {
	if (!context.org.isOperator) throw data('Not found', { status: 404 })
	return requireOrgPermission(request, context, required)
}
