import { type KoaContextWithOIDC } from 'oidc-provider'
import { themeCssFor } from '../branding/theme-css.server'
import { type ResolvedOrg } from '../orgs/resolve.server'

/**
 * The few pages oidc-provider renders itself (errors, the logout confirmation), in the org's
 * brand and under the same CSP nonce as every other page.
 */
export function escapeHtml(value: unknown): string {
	return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function nonceOf(ctx: KoaContextWithOIDC): string {
	return ((ctx.res as unknown as { locals?: { cspNonce?: string } }).locals?.cspNonce) ?? ''
}

export function brandedPage(ctx: KoaContextWithOIDC, org: ResolvedOrg, title: string, body: string): string {
	const nonce = nonceOf(ctx)
	const css = `${themeCssFor(org)}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;background:var(--brand-background);color:var(--brand-foreground);font-family:var(--brand-font)}
main{width:100%;max-width:24rem;padding:1rem}.org{font-size:1.25rem;font-weight:600;text-align:center;margin-bottom:1.5rem}
.card{background:var(--brand-surface);border:1px solid var(--brand-border);border-radius:var(--brand-radius);padding:1.5rem}
h1{font-size:1.125rem;margin:0 0 1rem}p{margin:0 0 1rem;color:var(--brand-muted)}
button{width:100%;padding:.625rem 1rem;border:0;border-radius:var(--brand-radius);font-weight:600;cursor:pointer;background:var(--brand-primary);color:var(--brand-primary-foreground);margin-bottom:.5rem}
button.secondary{background:var(--brand-surface);color:var(--brand-foreground);border:1px solid var(--brand-border)}
button:focus-visible{outline:2px solid var(--brand-ring);outline-offset:2px}a{color:var(--brand-link)}`
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(org.name)}</title><style nonce="${nonce}">${css}</style></head><body><main><div class="org">${escapeHtml(org.name)}</div><div class="card">${body}</div></main></body></html>`
}

export function errorPage(ctx: KoaContextWithOIDC, org: ResolvedOrg, out: { error: string; error_description?: string }) {
	const description = out.error_description ?? 'The app sent a request that could not be completed.'
	return brandedPage(
		ctx,
		org,
		'Sign-in problem',
		`<h1>We couldn't complete this sign-in</h1><p>${escapeHtml(description)}</p><p>Go back to the app and try again. If it keeps happening, tell the app's developers about error <code>${escapeHtml(out.error)}</code>.</p>`,
	)
}

export function logoutPage(ctx: KoaContextWithOIDC, org: ResolvedOrg, form: string) {
	// `form` is oidc-provider's hidden form (id op.logoutForm) carrying its own CSRF token.
	return brandedPage(
		ctx,
		org,
		'Sign out',
		`${form}<h1>Sign out of ${escapeHtml(org.name)}?</h1><p>You will be signed out here and in the app that sent you.</p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button><button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button>`,
	)
}

export function signedOutPage(ctx: KoaContextWithOIDC, org: ResolvedOrg) {
	return brandedPage(ctx, org, 'Signed out', `<h1>You're signed out</h1><p>You can close this window.</p><p><a href="/login">Sign in again</a></p>`)
}
