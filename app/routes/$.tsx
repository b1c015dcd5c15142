import { data } from '@remix-run/node'

/** Unknown paths on a known org host: a branded 404 (unknown hosts never reach Remix). */
export function loader() {
	throw data(null, { status: 404 })
}

export function action() {
	throw data(null, { status: 404 })
}

export default function NotFound() {
	return null
}

export { RouteErrorBoundary as ErrorBoundary } from '../components/error-boundary'
