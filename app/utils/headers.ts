import { type HeadersFunction } from '@remix-run/node'

/**
 * For routes whose action may answer 429: a document response takes its headers from the route's
 * `headers` export, so without this the action's Retry-After would be lost.
 * Use as `export const headers = retryAfterHeaders`.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
	const retryAfter = actionHeaders.get('Retry-After')
	return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}
