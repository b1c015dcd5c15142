import { type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { ConsoleErrorBoundary, ConsoleLayout } from '../../components/console-layout'
import { requireOrgPermission } from '../../modules/permissions/guard.server'

/** Admin pages show client ids and, once, a client secret: no cache may keep them. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user } = await requireOrgPermission(request, context, {})
	return { orgName: context.org.name, email: user.email }
}

export default function AdminLayout() {
	const { orgName, email } = useLoaderData<typeof loader>()
	return (
		<ConsoleLayout title={orgName} subtitle="Admin" nav={[{ to: '/admin/apps', label: 'Apps' }]} email={email}>
			<Outlet />
		</ConsoleLayout>
	)
}

export function ErrorBoundary() {
	return <ConsoleErrorBoundary forbidden="You don't have access to this page. The admin console is for this organization's owners and admins." />
}
