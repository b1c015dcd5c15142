import { Outlet } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'

export default function AuthLayout() {
	return <Outlet />
}

export function ErrorBoundary() {
	return (
		<main className="mx-auto max-w-md px-4 py-16">
			<GeneralErrorBoundary />
		</main>
	)
}
