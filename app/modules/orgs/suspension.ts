/**
 * What a suspended org's hosts answer, to everyone and on every path (pages, `/oidc/*`,
 * `/.well-known/*`), until an operator resumes it. The page names neither the org nor Foyer and
 * says nothing about why: a visitor learns only that signing in here is not possible now.
 * Machine endpoints get an OAuth-style JSON error instead, so apps holding its tokens see a
 * clear refusal rather than HTML.
 */
export const SUSPENDED_MESSAGE = 'This sign-in page is not available right now.'

const suspendedPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not available</title><meta name="robots" content="noindex"></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2937"><h1 style="font-size:1.25rem">Not available</h1><p>${SUSPENDED_MESSAGE}</p></body></html>`

/** Token, introspection, revocation, userinfo and keys: called by apps, which expect JSON. */
const JSON_ENDPOINTS = /^\/oidc\/(token(\/.*)?|me|jwks)$/

export function suspendedResponse(path: string): { status: 503; contentType: 'html' | 'json'; body: string } {
	if (JSON_ENDPOINTS.test(path)) {
		return { status: 503, contentType: 'json', body: JSON.stringify({ error: 'temporarily_unavailable', error_description: SUSPENDED_MESSAGE }) }
	}
	return { status: 503, contentType: 'html', body: suspendedPage }
}
