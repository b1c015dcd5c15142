import { type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { requireOperator } from '../../modules/operator/guard.server'

/** The outbox holds live sign-in links and codes: no cache may keep these pages. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user } = await requireOperator(request, context)
	return { email: user.email }
}

const navClass = ({ isActive }: { isActive: boolean }) => `rounded-brand px-3 py-1.5 text-sm font-medium ${isActive ? 'bg-background text-foreground' : 'text-muted hover:text-foreground'}`

export default function OperatorLayout() {
	const { email } = useLoaderData<typeof loader>()
	return (
		<div className="min-h-screen">
			<header className="border-b border-border bg-surface">
				<div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
					<p className="font-semibold">Operator</p>
					<nav aria-label="Operator" className="flex gap-1">
						<NavLink to="/operator/outbox" className={navClass}>
							Outbox
						</NavLink>
					</nav>
					<p className="ml-auto text-sm text-muted">
						<span className="sr-only">Signed in as </span>
						<span className="break-all">{email}</span> ·{' '}
						<Link className="text-link underline" to="/account">
							Your account
						</Link>
					</p>
				</div>
			</header>
			<main className="mx-auto max-w-5xl px-4 py-8">
				<Outlet />
			</main>
		</div>
	)
}

export function ErrorBoundary() {
	return (
		<main className="mx-auto max-w-md px-4 py-16">
			<GeneralErrorBoundary
				statusHandlers={{
					403: () => (
						<>
							<p>You don&apos;t have access to this page. The operator console is for the operator organization&apos;s owners and admins.</p>
							<p className="mt-2">
								<Link className="text-link underline" to="/account">
									Back to your account
								</Link>
							</p>
						</>
					),
				}}
			/>
		</main>
	)
}
