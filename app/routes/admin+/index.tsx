import { data, redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission, type Permissions } from '../../modules/permissions/statements'

/**
 * Where /admin lands, in the nav's order (admin+/_layout.tsx): the dashboard for those who may
 * read the audit log, else the first area the user may open.
 */
const LANDING: { to: string; needs: Permissions }[] = [
	{ to: '/admin/dashboard', needs: { audit: ['read'] } },
	{ to: '/admin/users', needs: { user: ['read'] } },
	{ to: '/admin/roles', needs: { role: ['read'] } },
	{ to: '/admin/teams', needs: { team: ['read'] } },
	{ to: '/admin/invitations', needs: { invitation: ['read'] } },
	{ to: '/admin/apps', needs: { app: ['read'] } },
	{ to: '/admin/settings', needs: { settings: ['read'] } },
	{ to: '/admin/api-keys', needs: { apiKey: ['read'] } },
]

/** The guard runs first, so members (no console permission at all) see 403, not a redirect. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const { permissions } = await requireOrgPermission(request, context, {})
	const landing = LANDING.find((area) => hasPermission(permissions, area.needs))
	// A role holding only statements with no page of their own (e.g. branding, audit export).
	if (!landing) throw data("You don't have access to any page of this console.", { status: 403 })
	throw redirect(landing.to)
}

/**
 * Never rendered (the loader always throws), but a UI route rather than a resource route: a
 * thrown 403 then reaches the admin layout's error page instead of a bare JSON body.
 */
export default function AdminIndex() {
	return null
}
