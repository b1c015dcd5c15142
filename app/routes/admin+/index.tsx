import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { requireOrgPermission } from '../../modules/permissions/guard.server'

/** /admin has one area so far; the guard runs first so members see 403, not a redirect. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOrgPermission(request, context, {})
	throw redirect('/admin/apps')
}

/**
 * Never rendered (the loader always throws), but a UI route rather than a resource route: a
 * thrown 403 then reaches the admin layout's error page instead of a bare JSON body.
 */
export default function AdminIndex() {
	return null
}
