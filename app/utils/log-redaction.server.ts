/**
 * What never reaches a log line: one-time secrets that travel in URLs. Email links carry their
 * token in the query (/verify?token=, /invitations/accept?token=), OIDC carries the authorization
 * code and state (in the callback's Location, and in the authorization URL), and any of these
 * can ride inside another parameter (`/login?redirectTo=%2Finvitations%2Faccept%3Ftoken%3D...`).
 */
const REDACTED = '[redacted]'

/** Paths whose whole query belongs to an email link: nothing of it is logged. */
const LINK_PATHS = new Set(['/verify', '/invitations/accept'])

/** Parameters whose value is a secret (or proof) wherever they appear. */
const SECRET_PARAMS = new Set(['token', 'code', 'state', 'nonce', 'id_token_hint', 'code_verifier', 'client_secret', 'access_token', 'refresh_token', 'password'])

/** Nested values are opened this deep; past that a value that still looks like a URL is dropped. */
const MAX_DEPTH = 4

/** A URL (absolute, or a path with its query) as it may be logged. */
export function redactUrl(url: unknown): unknown {
	return typeof url === 'string' ? redact(url, 0) : url
}

function redact(url: string, depth: number): string {
	const hashAt = url.indexOf('#')
	const withoutHash = hashAt === -1 ? url : url.slice(0, hashAt)
	// A fragment is never sent to a server; in a logged Location it may hold tokens (implicit-style).
	const hash = hashAt === -1 ? '' : `#${REDACTED}`
	const queryAt = withoutHash.indexOf('?')
	if (queryAt === -1) return withoutHash + hash
	const base = withoutHash.slice(0, queryAt)
	const query = withoutHash.slice(queryAt + 1)
	if (isLinkPath(base)) return `${base}?${REDACTED}${hash}`
	return `${base}?${redactQuery(query, depth)}${hash}`
}

function isLinkPath(base: string) {
	let pathname = base
	try {
		// Absolute URLs (a logged Location, Remix's request.url) and paths alike.
		pathname = new URL(base, 'http://x').pathname
	} catch {
		// keep the raw text
	}
	pathname = safeDecode(pathname).toLowerCase().replace(/\/+$/, '')
	return LINK_PATHS.has(pathname)
}

function redactQuery(query: string, depth: number): string {
	return query
		.split('&')
		.map((pair) => {
			const eq = pair.indexOf('=')
			if (eq === -1) return pair
			const name = pair.slice(0, eq)
			const value = pair.slice(eq + 1)
			if (SECRET_PARAMS.has(safeDecode(name).toLowerCase())) return `${name}=${REDACTED}`
			const decoded = safeDecode(value)
			// A parameter that holds a URL or a query of its own (redirectTo, return_to): open it.
			if (!decoded.includes('?') && !decoded.includes('=')) return pair
			if (depth >= MAX_DEPTH) return `${name}=${REDACTED}`
			const inner = decoded.includes('?') ? redact(decoded, depth + 1) : redactQuery(decoded, depth + 1)
			return inner === decoded ? pair : `${name}=${encodeURIComponent(inner)}`
		})
		.join('&')
}

function safeDecode(text: string) {
	try {
		return decodeURIComponent(text.replaceAll('+', ' '))
	} catch {
		return text
	}
}

type Headers = Record<string, unknown>

function withRedactedUrlHeader(headers: Headers | undefined, name: string): Headers | undefined {
	if (!headers || headers[name] === undefined) return headers
	return { ...headers, [name]: redactUrl(headers[name]) }
}

/**
 * pino-http's serializers, applied to pino's standard request and response shapes. The request
 * keeps its URL (redacted) but not the parsed query and params, which would repeat it unredacted;
 * the Referer of a page opened from an email link is redacted like the link; so is the Location
 * of a redirect (the OIDC callback carries the code and state).
 */
export const httpLogSerializers = {
	req: (req: { id?: unknown; method?: string; url?: string; headers?: Headers; remoteAddress?: string; remotePort?: number }) => ({
		id: req.id,
		method: req.method,
		url: redactUrl(req.url),
		headers: withRedactedUrlHeader(req.headers, 'referer'),
		remoteAddress: req.remoteAddress,
		remotePort: req.remotePort,
	}),
	res: (res: { statusCode?: number | null; headers?: Headers }) => ({
		statusCode: res.statusCode,
		headers: withRedactedUrlHeader(res.headers, 'location'),
	}),
}
