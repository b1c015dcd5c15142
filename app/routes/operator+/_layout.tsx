import { type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { ConsoleErrorBoundary, ConsoleLayout } from '../../components/console-layout'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'

/** The outbox holds live sign-in links and codes: no cache may keep these pages. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const NAV = [
	{ to: '/operator/orgs', label: 'Organizations' },
	{ to: '/operator/defaults', label: 'Defaults' },
	{ to: '/operator/health', label: 'Health' },
	{ to: '/operator/api-keys', label: 'API keys' },
	{ to: '/operator/outbox', label: 'Outbox' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user } = await requireOperatorPermission(request, context, {})
	return { orgName: context.org.name, email: user.email }
}

export default function OperatorLayout() {
	const { orgName, email } = useLoaderData<typeof loader>()
	return (
		<ConsoleLayout title={orgName} subtitle="Operator" nav={NAV} email={email}>
			<Outlet />
		</ConsoleLayout>
	)
}

export function ErrorBoundary() {
	return <ConsoleErrorBoundary forbidden="You don't have access to this page. The operator console is for the operator organization's owners and admins." />
}
