import { data } from '@remix-run/node'
import { GeneralErrorBoundary } from '../components/error-boundary'

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

export function ErrorBoundary() {
	return (
		<main className="mx-auto max-w-md px-4 py-16">
			<GeneralErrorBoundary />
		</main>
	)
}
