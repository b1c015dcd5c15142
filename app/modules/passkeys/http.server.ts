import { type z } from 'zod'
import { type RequestContext } from '../../context'
import { normalizeHost } from '../orgs/hosts'

/**
 * The HTTP side shared by the passkey JSON routes (/passkeys/*). Rules:
 * - the org's `passkeys` setting off: every route answers 404, as if it did not exist;
 * - bodies are JSON, at most MAX_BODY_BYTES; anything else is a 400/415 with a message, never a 500;
 * - answers are JSON `{ error, redirectTo? }` on failure, with the status saying why;
 * - the RP ID is the host the request came to (already resolved to this org by the middleware),
 *   and the expected origin is the request's own, so a passkey works only where it was made.
 */
export const MAX_BODY_BYTES = 64 * 1024

export type JsonError = { error: string; redirectTo?: string }

export function json(body: unknown, init: { status?: number; setCookies?: readonly string[]; headers?: Record<string, string> } = {}): Response {
	const headers = new Headers({ 'Cache-Control': 'no-store', ...init.headers })
	for (const cookie of init.setCookies ?? []) headers.append('Set-Cookie', cookie)
	return Response.json(body, { status: init.status ?? 200, headers })
}

export function jsonError(status: number, error: string, extra: Omit<JsonError, 'error'> & { headers?: Record<string, string>; setCookies?: readonly string[] } = {}): Response {
	const { headers, setCookies, ...rest } = extra
	return json({ error, ...rest } satisfies JsonError, { status, headers, setCookies })
}

export function requirePasskeysJson(context: Pick<RequestContext, 'org'>) {
	if (!context.org.settings.passkeys) throw jsonError(404, 'Not found.')
}

export type RelyingParty = { rpId: string; rpName: string; origin: string }

export function relyingParty(request: Request, context: Pick<RequestContext, 'org' | 'req'>): RelyingParty {
	const url = new URL(request.url)
	// The same reading of the host as the middleware that resolved the org (req.hostname).
	const rpId = normalizeHost(context.req.hostname) ?? url.hostname
	return { rpId, rpName: context.org.name, origin: url.origin }
}

/** The JSON body, checked against `schema`; throws a 4xx JSON answer otherwise. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
	const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
	if (type !== 'application/json') throw jsonError(415, 'Send this request as application/json.')
	let text: string
	try {
		text = await request.text()
	} catch {
		throw jsonError(400, 'The request body could not be read.')
	}
	if (text.length > MAX_BODY_BYTES) throw jsonError(413, 'The request body is too large.')
	let body: unknown
	try {
		body = JSON.parse(text)
	} catch {
		throw jsonError(400, 'The request body is not valid JSON.')
	}
	const parsed = schema.safeParse(body)
	if (!parsed.success) throw jsonError(400, 'The request is missing fields or has invalid ones.')
	return parsed.data
}

/**
 * Runs page guards (requireUser, requireRecentAuthentication) for a JSON route: their redirects
 * become 401 (not signed in: `redirectTo` is the sign-in page coming back to `returnTo`) or 403
 * (prove it again first: `redirectTo` is where the guard sent the browser), which the browser
 * code follows. Pass `returnTo` to requireRecentAuthentication too, so it comes back to the page
 * rather than to this JSON route.
 */
export async function guardJson<T>(returnTo: string, guard: () => Promise<T>): Promise<T> {
	try {
		return await guard()
	} catch (thrown) {
		if (thrown instanceof Response && thrown.status >= 300 && thrown.status < 400) {
			const location = thrown.headers.get('Location') ?? '/login'
			const signIn = location.startsWith('/login?') && !location.includes('reauth=1')
			if (signIn) throw jsonError(401, 'Sign in first.', { redirectTo: `/login?${new URLSearchParams({ redirectTo: returnTo })}` })
			throw jsonError(403, 'Confirm it is you first.', { redirectTo: location })
		}
		throw thrown
	}
}
