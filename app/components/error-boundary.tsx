import { isRouteErrorResponse, useRouteError, type ErrorResponse } from '@remix-run/react'
import { type ReactNode } from 'react'
import { useHooks, useHostedLook } from './hosted-look'
import { HostedFrame } from './ui/card'

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

/** What went wrong, in words: expected statuses get a plain message (or a route's own handler), anything else a generic apology and never internals. */
function useErrorMessage(statusHandlers: Record<number, StatusHandler>): { heading: string; content: ReactNode } {
	const error = useRouteError()
	let content: ReactNode
	if (isRouteErrorResponse(error)) {
		const handler = statusHandlers[error.status]
		const message = typeof error.data === 'string' && error.data.length > 0 && error.data.length < 300 ? error.data : defaultMessages[error.status]
		content = handler ? handler({ error }) : <p>{message ?? 'Something went wrong.'}</p>
	} else {
		content = <p>Something went wrong on our side. Try again in a moment.</p>
	}
	return { heading: isRouteErrorResponse(error) && error.status < 500 ? 'Sorry' : 'Something went wrong', content }
}

const startPageLink = (
	<p className="mt-4">
		<a className="text-link underline" href="/">
			Go to the start page
		</a>
	</p>
)

/** The error view inside the consoles (their layout stays around it). */
export function GeneralErrorBoundary({ statusHandlers = {} }: { statusHandlers?: Record<number, StatusHandler> }) {
	const { heading, content } = useErrorMessage(statusHandlers)
	// The org's name when the root loader ran (an error in a page of a known org host).
	const look = useHostedLook()
	return (
		<>
			{look ? <p className="mb-6 text-center text-xl font-semibold text-foreground">{look.displayName}</p> : null}
			<div role="alert" className="rounded-brand-card border border-border bg-surface p-6 text-foreground">
				<h1 className="mb-2 text-lg font-semibold">{heading}</h1>
				{content}
				{startPageLink}
			</div>
		</>
	)
}

/**
 * The ErrorBoundary every hosted page exports (`export { RouteErrorBoundary as ErrorBoundary }`):
 * a 404 on an org's host, say, in the org's published look, like its sign-in page.
 */
export function RouteErrorBoundary() {
	const { heading, content } = useErrorMessage({})
	const hook = useHooks()
	return (
		<HostedFrame page="error" role="alert">
			<div {...hook('error', 'page')} className="text-foreground">
				<h1 className="mb-2 text-lg font-semibold">{heading}</h1>
				{content}
				{startPageLink}
			</div>
		</HostedFrame>
	)
}
