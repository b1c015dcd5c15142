import { Outlet } from '@remix-run/react'

export default function AuthLayout() {
	return <Outlet />
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
