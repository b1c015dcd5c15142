/**
 * What a suspended org's hosts answer, to everyone and on every path (pages, `/oidc/*`,
 * `/.well-known/*`), until an operator resumes it. The page names neither the org nor Foyer and
 * says nothing about why: a visitor learns only that signing in here is not possible now.
 * Machine endpoints get an OAuth-style JSON error instead, so apps holding its tokens see a
 * clear refusal rather than HTML.
 *
 * It wears the org's published colours and font (the tokens CSS only: parsed colours and fixed
 * tables, nothing an admin typed), so a visitor sees the familiar page rather than a stranger's.
 * Everything else of the branding stays off: the display name and logo would name the org, the
 * custom CSS could carry any text in `content:`, and the logo, icon and stylesheet URLs are the
 * org's own paths, which answer 503 too.
 */
export const SUSPENDED_MESSAGE = 'This sign-in page is not available right now.'

const PAGE_CSS =
	'body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--brand-background,#fff);color:var(--brand-foreground,#1f2937);font-family:var(--brand-font,system-ui,sans-serif)}' +
	'main{max-width:24rem;margin:1rem;padding:1.5rem;background:var(--brand-surface,#fff);border:1px solid var(--brand-border,#d1d5db);border-radius:var(--brand-radius-card,.75rem)}' +
	'h1{font-size:1.25rem;margin:0 0 .75rem}p{margin:0;color:var(--brand-muted,#4b5563)}'

/** The org's tokens CSS (brandingCssFor) and the response's CSP nonce. */
export type SuspendedLook = { css: string; nonce: string }

function suspendedPage({ css, nonce }: SuspendedLook): string {
	// The tokens CSS is built from hex colours and fixed strings; a `<` in it would be a bug, never a way out of the style element.
	const style = `${css.replace(/</g, '')}${PAGE_CSS}`
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not available</title><meta name="robots" content="noindex"><style nonce="${nonce.replace(/[^A-Za-z0-9+/=]/g, '')}">${style}</style></head><body><main><h1>Not available</h1><p>${SUSPENDED_MESSAGE}</p></main></body></html>`
}

/** Token, introspection, revocation, userinfo and keys: called by apps, which expect JSON. */
const JSON_ENDPOINTS = /^\/oidc\/(token(\/.*)?|me|jwks)$/

export function suspendedResponse(path: string, look: SuspendedLook): { status: 503; contentType: 'html' | 'json'; body: string } {
	if (JSON_ENDPOINTS.test(path)) {
		return { status: 503, contentType: 'json', body: JSON.stringify({ error: 'temporarily_unavailable', error_description: SUSPENDED_MESSAGE }) }
	}
	return { status: 503, contentType: 'html', body: suspendedPage(look) }
}
