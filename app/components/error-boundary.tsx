import { isRouteErrorResponse, useRouteError, useRouteLoaderData, type ErrorResponse } from '@remix-run/react'
import { type ReactNode } from 'react'

type StatusHandler = (info: { error: ErrorResponse }) => ReactNode

const defaultMessages: Record<number, string> = {
	400: 'That request could not be understood. Go back and try again.',
	403: "You don't have access to this page.",
	404: "We couldn't find that page.",
	405: 'That action is not available here.',
	413: 'That was more data than this form accepts.',
	415: 'That form was sent in a format this page does not accept.',
	429: 'Too many attempts. Wait a moment and try again.',
}

/**
 * The one error view every route's ErrorBoundary renders. Expected statuses show a plain message
 * (or a route's own handler); anything else shows a generic apology and never internals.
 */
export function GeneralErrorBoundary({ statusHandlers = {} }: { statusHandlers?: Record<number, StatusHandler> }) {
	const error = useRouteError()
	let content: ReactNode
	if (isRouteErrorResponse(error)) {
		const handler = statusHandlers[error.status]
		const message = typeof error.data === 'string' && error.data.length > 0 && error.data.length < 300 ? error.data : defaultMessages[error.status]
		content = handler ? handler({ error }) : <p>{message ?? 'Something went wrong.'}</p>
	} else {
		content = <p>Something went wrong on our side. Try again in a moment.</p>
	}
	// The org's name when the root loader ran (an error in a page of a known org host).
	const root = useRouteLoaderData('root') as { org?: { name: string } } | undefined
	return (
		<>
		{root?.org ? <p className="mb-6 text-center text-xl font-semibold text-foreground">{root.org.name}</p> : null}
		<div role="alert" className="rounded-brand border border-border bg-surface p-6 text-foreground">
			<h1 className="mb-2 text-lg font-semibold">{isRouteErrorResponse(error) && error.status < 500 ? 'Sorry' : 'Something went wrong'}</h1>
			{content}
			<p className="mt-4">
				<a className="text-link underline" href="/">
					Go to the start page
				</a>
			</p>
		</div>
		</>
	)
}

/** The ErrorBoundary every route exports: `export { RouteErrorBoundary as ErrorBoundary }`. */
export function RouteErrorBoundary() {
	return (
		<main className="mx-auto max-w-md px-4 py-16">
			<GeneralErrorBoundary />
		</main>
	)
}
