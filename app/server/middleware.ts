import crypto from 'node:crypto'
import { type NextFunction, type Request, type Response } from 'express'
import helmet from 'helmet'
import { brandingCssFor } from '../modules/branding/theme-css.server'
import { normalizeHost } from '../modules/orgs/hosts'
import { resolveOrgByHost, type HostConfig } from '../modules/orgs/resolve.server'
import { suspendedResponse } from '../modules/orgs/suspension'
import { asksForPreview } from './branding-preview'
import { foreignOriginPage, tooLargePage, unknownHostPage } from './pages'

/** Without TRUST_PROXY, forwarding headers are a client's claim: drop them before anything reads them. */
export function dropUntrustedForwardingHeaders(trusted: boolean) {
	return (req: Request, _res: Response, next: NextFunction) => {
		if (!trusted) for (const name of ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for', 'x-forwarded-port', 'forwarded']) delete req.headers[name]
		next()
	}
}

export function requestId(trusted: boolean) {
	return (req: Request, res: Response, next: NextFunction) => {
		const incoming = req.get('x-request-id')
		const id = trusted && incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID()
		res.locals.requestId = id
		res.setHeader('X-Request-Id', id)
		next()
	}
}

/** CSP with a fresh nonce per response: only our own scripts and styles, no framing. */
export function securityHeaders() {
	const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`
	const assignNonce = (_req: Request, res: Response, next: NextFunction) => {
		res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
		next()
	}
	const headers = helmet({
		contentSecurityPolicy: {
			useDefaults: false,
			directives: {
				'default-src': ["'self'"],
				'script-src': ["'self'", nonce],
				'style-src': ["'self'", nonce],
				'img-src': ["'self'", 'data:'],
				'font-src': ["'self'"],
				'connect-src': ["'self'"],
				'object-src': ["'none'"],
				'base-uri': ["'none'"],
				// Only the branding studio's preview may be framed, and only by the org's own pages.
				'frame-ancestors': [(req) => (asksForPreview(req as Request) ? "'self'" : "'none'")],
				// form-action is left out on purpose: Chrome applies it to the redirects after a form
				// POST, and OIDC consent must end in a redirect to the app's registered redirect URI.
			},
		},
		crossOriginEmbedderPolicy: false,
		referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
	})
	// The routes that serve email markup for a sandboxed frame (the outbox's raw HTML, the email
	// previews of /admin/emails) set their own, stricter policy (inline styles, no script,
	// sandboxed); every other response gets the nonce policy.
	const unlessEmailHtml = (req: Request, res: Response, next: NextFunction) => (EMAIL_HTML.some((path) => path.test(req.path)) ? next() : headers(req, res, next))
	return [assignNonce, unlessEmailHtml]
}

const EMAIL_HTML = [/^\/operator\/outbox\/[^/]+\/html$/, /^\/admin\/emails\/[^/]+\/preview$/]

/**
 * Bodies are bounded before anything reads them. Forms stay far below the limit; a 100 KB field
 * still fits, so it gets a field message from the form's schema rather than a bare 413. A
 * Content-Length over the limit is refused up front; a chunked body (no Content-Length) is counted
 * as it arrives (readChunkedBody).
 */
export function bodyLimit(maxBytes: number, answersJson: (path: string) => boolean = () => false) {
	// JSON clients (the Management API) get the API's error shape, with a stable code, not a page.
	const refuse = (req: Request, res: Response) => {
		if (answersJson(req.path)) {
			return res.status(413).set('cache-control', 'no-store').json({ error: { code: 'invalid_request', message: `The request body is over ${Math.floor(maxBytes / 1024)} KiB.` } })
		}
		return res.status(413).type('html').send(tooLargePage)
	}
	return (req: Request, res: Response, next: NextFunction) => {
		if (req.method === 'GET' || req.method === 'HEAD') return next()
		const length = req.get('content-length')
		if (length !== undefined) {
			if (!/^\d+$/.test(length) || Number(length) > maxBytes) return refuse(req, res)
			return next()
		}
		// Neither header: no body (RFC 9112 6.3). Node's parser refuses any other framing.
		if (!req.get('transfer-encoding')) return next()
		readChunkedBody(req, maxBytes).then((outcome) => {
			if (outcome === 'within') return next()
			if (outcome === 'gone') return
			// Still sending past what we drain: the 413 is the last thing on this connection.
			if (outcome === 'endless') res.set('connection', 'close')
			refuse(req, res)
		})
	}
}

/** How far past the limit a refused chunked body is still read (and dropped) before the connection is closed. */
const DRAIN_FACTOR = 4

/**
 * Reads a chunked body whole, counting bytes as they arrive, before any handler sees the request.
 * Within the limit the bytes go back to the front of `req` with unshift(), Node's API for handing
 * read data on: Remix's adapter and oidc-provider's body parser then read the same `req`, bytes and
 * end, as they would any body, and the connection stays reusable. Over the limit the rest is read
 * and dropped, so a client that sends its whole body before reading gets the 413 (not a reset), up
 * to DRAIN_FACTOR times the limit. The stream is never read once complete and drained: that would
 * emit 'end' before the handlers listen, and they would wait for the body forever.
 */
function readChunkedBody(req: Request, maxBytes: number): Promise<'within' | 'over' | 'endless' | 'gone'> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = []
		let received = 0
		const drained = () => req.complete && req.readableLength === 0
		const settle = (outcome: 'within' | 'over' | 'endless' | 'gone') => {
			req.removeListener('readable', onReadable)
			req.removeListener('error', onGone)
			req.removeListener('close', onGone)
			resolve(outcome)
		}
		const onReadable = () => {
			for (;;) {
				if (drained()) {
					if (received > maxBytes) return settle('over')
					if (received) req.unshift(Buffer.concat(chunks, received))
					return settle('within')
				}
				const chunk = req.read() as Buffer | null
				if (chunk === null) return
				received += chunk.length
				if (received <= maxBytes) chunks.push(chunk)
				else if (chunks.length) chunks.length = 0
				if (received > maxBytes * DRAIN_FACTOR) return settle('endless')
			}
		}
		// The client went away mid-body (or sent a broken one): there is no one to answer.
		const onGone = () => settle('gone')
		// Handlers run while Node parses the packet that held the headers; the rest of it (maybe the
		// whole body, maybe an empty one) is parsed before the next tick. A 'readable' listener reads
		// once on the next tick, which would end an empty body no one has read yet: look first.
		process.nextTick(() => {
			if (drained()) return resolve('within')
			req.on('readable', onReadable)
			req.on('error', onGone)
			req.on('close', onGone)
		})
	})
}

/**
 * Host → org. An unknown host gets a 404 that names nothing; there is never a fallback org. A
 * suspended org's hosts answer 503 on every path before its provider or any page runs, so its
 * sign-in pages, discovery and every token it issued stop working at once (the cached org is
 * dropped on suspend and resume: orgs/suspension.server.ts).
 */
export function resolveOrg(config: HostConfig) {
	return async (req: Request, res: Response, next: NextFunction) => {
		try {
			// req.hostname honours X-Forwarded-Host only when "trust proxy" is set.
			const host = normalizeHost(req.hostname)
			const org = host ? await resolveOrgByHost(host, config) : null
			if (!org) return res.status(404).type('html').send(unknownHostPage)
			if (org.suspended && !org.isOperator) {
				const answer = suspendedResponse(req.path, { css: brandingCssFor(org.branding.document), nonce: res.locals.cspNonce as string })
				res.setHeader('Cache-Control', 'no-store')
				return res.status(answer.status).type(answer.contentType).send(answer.body)
			}
			res.locals.org = org
			next()
		} catch (error) {
			next(error)
		}
	}
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF: SameSite=Lax cookies plus this check. A state-changing request must come from a page on
 * the very origin it is sent to (Origin, or Referer when a browser omits Origin). OIDC endpoints
 * are exempt: apps call them from their servers and they carry their own proofs (client
 * authentication, PKCE, oidc-provider's own form tokens).
 */
export function sameOriginOnly(exempt: (path: string) => boolean) {
	return (req: Request, res: Response, next: NextFunction) => {
		if (SAFE_METHODS.has(req.method) || exempt(req.path)) return next()
		const claimed = req.get('origin') ?? req.get('referer')
		let source: string | null = null
		try {
			source = claimed ? new URL(claimed).origin : null
		} catch {
			source = null
		}
		const host = req.get('x-forwarded-host')?.split(',')[0]?.trim() ?? req.get('host')
		const own = `${req.protocol}://${host}`.toLowerCase()
		if (source !== own) return res.status(403).type('html').send(foreignOriginPage)
		next()
	}
}
