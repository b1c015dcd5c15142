import { type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { ConsoleErrorBoundary, ConsoleLayout } from '../../components/console-layout'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission, type Permissions } from '../../modules/permissions/statements'

/** Admin pages show client ids and, once, a client secret: no cache may keep them. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

/** The console's areas and what each needs; the nav shows a user only the areas they may open. */
const AREAS: { to: string; label: string; needs: Permissions }[] = [
	{ to: '/admin/dashboard', label: 'Dashboard', needs: { audit: ['read'] } },
	{ to: '/admin/users', label: 'Users', needs: { user: ['read'] } },
	{ to: '/admin/roles', label: 'Roles', needs: { role: ['read'] } },
	{ to: '/admin/teams', label: 'Teams', needs: { team: ['read'] } },
	{ to: '/admin/invitations', label: 'Invitations', needs: { invitation: ['read'] } },
	{ to: '/admin/apps', label: 'Apps', needs: { app: ['read'] } },
	{ to: '/admin/settings', label: 'Sign-in settings', needs: { settings: ['read'] } },
	{ to: '/admin/branding', label: 'Branding', needs: { branding: ['read'] } },
	{ to: '/admin/emails', label: 'Emails', needs: { branding: ['read'] } },
	{ to: '/admin/api-keys', label: 'API keys', needs: { apiKey: ['read'] } },
	{ to: '/admin/audit', label: 'Audit log', needs: { audit: ['read'] } },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user, permissions } = await requireOrgPermission(request, context, {})
	const nav = AREAS.filter((area) => hasPermission(permissions, area.needs)).map(({ to, label }) => ({ to, label }))
	return { orgName: context.org.name, email: user.email, nav }
}

export default function AdminLayout() {
	const { orgName, email, nav } = useLoaderData<typeof loader>()
	return (
		<ConsoleLayout title={orgName} subtitle="Admin" nav={nav} email={email}>
			<Outlet />
		</ConsoleLayout>
	)
}

export function ErrorBoundary() {
	return <ConsoleErrorBoundary forbidden="You don't have access to this page. The admin console is for this organization's owners and admins." />
}
