import { data } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { requireOrgAdmin } from '../admin/guard.server'

/**
 * The /operator guard: only on the operator host (elsewhere the path does not exist), and only for
 * the operator org's owners and admins. Anonymous visitors go to sign in, as for /admin.
 */
export async function requireOperator(request: Request, context: Pick<RequestContext, 'org' | 'secure'>) {
	if (!context.org.isOperator) throw data('Not found', { status: 404 })
	return requireOrgAdmin(request, context)
}
