import { type KoaContextWithOIDC } from 'oidc-provider'
import { hostedLook, type HostedLook } from '../branding/look.server'
import { brandingCssFor } from '../branding/theme-css.server'
import { type ResolvedOrg } from '../orgs/resolve.server'

/**
 * The few pages oidc-provider renders itself (errors, the logout confirmation), in the org's
 * published branding (colours, font, name or logo, favicon, footer, custom CSS) and under the
 * same CSP nonce as every other page. Always the centered layout: these are one-line notices.
 */
export function escapeHtml(value: unknown): string {
	return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function nonceOf(ctx: KoaContextWithOIDC): string {
	return ((ctx.res as unknown as { locals?: { cspNonce?: string } }).locals?.cspNonce) ?? ''
}

const PAGE_CSS = `body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;background:var(--brand-background);color:var(--brand-foreground);font-family:var(--brand-font)}
main{width:100%;max-width:24rem;padding:1rem;box-sizing:border-box}.org{font-size:1.25rem;font-weight:600;text-align:center;margin:0 0 1.5rem}.logo{display:flex;justify-content:center;margin-bottom:1.5rem}.logo img{height:3rem;width:auto;max-width:14rem;object-fit:contain}
.card{background:var(--brand-surface);border:1px solid var(--brand-border);border-radius:var(--brand-radius-card);padding:1.5rem}
h1{font-size:1.125rem;margin:0 0 1rem}p{margin:0 0 1rem;color:var(--brand-muted)}
button{width:100%;padding:.625rem 1rem;border:0;border-radius:var(--brand-radius);font:inherit;font-weight:600;cursor:pointer;background:var(--brand-primary);color:var(--brand-primary-foreground);margin-bottom:.5rem}
button:hover{background:var(--brand-primary-hover)}button.secondary{background:var(--brand-surface);color:var(--brand-foreground);border:1px solid var(--brand-input-border)}
:focus-visible{outline:2px solid var(--brand-ring);outline-offset:2px}a{color:var(--brand-link)}
footer{margin-top:2.5rem;text-align:center;font-size:.875rem;color:var(--brand-muted)}footer p{margin:0 0 .5rem}footer ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;justify-content:center;gap:.25rem 1rem}`

export function brandedPage(ctx: KoaContextWithOIDC, org: ResolvedOrg, page: 'oidc-error' | 'logout' | 'signed-out', title: string, body: string): string {
	const nonce = nonceOf(ctx)
	const look = hostedLook(org)
	const hook = (name: string, value = '') => (look.hooks ? ` data-foyer-${name}="${escapeHtml(value)}"` : '')
	const stylesheet = look.stylesheet ? `<link rel="stylesheet" href="${escapeHtml(look.stylesheet)}">` : ''
	const head = `<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(look.displayName)}</title><link rel="icon" href="${escapeHtml(look.icon.href)}" type="${escapeHtml(look.icon.type)}"><style nonce="${nonce}">${brandingCssFor(org.branding.document)}\n${PAGE_CSS}</style>${stylesheet}`
	return `<!doctype html><html lang="en"><head>${head}</head><body><div${hook('page', page)}><main>${brandMark(look, hook)}<div class="card"${hook('card')}>${body}</div></main>${footer(look, hook)}</div></body></html>`
}

type Hook = (name: string, value?: string) => string

function brandMark(look: HostedLook, hook: Hook): string {
	if (!look.logo) return `<p class="org"${hook('name')}>${escapeHtml(look.displayName)}</p>`
	const { src, darkSrc } = look.logo
	const source = darkSrc ? `<source media="(prefers-color-scheme: dark)" srcset="${escapeHtml(darkSrc)}">` : ''
	return `<div class="logo"><picture${hook('logo')}>${source}<img src="${escapeHtml(src)}" alt="${escapeHtml(look.displayName)}"></picture></div>`
}

function footer(look: HostedLook, hook: Hook): string {
	const text = look.texts.footerText ? `<p>${escapeHtml(look.texts.footerText)}</p>` : ''
	const links = look.links.length
		? `<nav aria-label="Policies and help"><ul>${look.links.map((link) => `<li><a${hook('link', link.id)} href="${escapeHtml(link.href)}" rel="noopener">${escapeHtml(link.label)}</a></li>`).join('')}</ul></nav>`
		: ''
	const securedBy = look.securedBy ? `<p${hook('secured-by')}>Secured by Foyer</p>` : ''
	return text || links || securedBy ? `<footer${hook('footer')}>${text}${links}${securedBy}</footer>` : ''
}

export function errorPage(ctx: KoaContextWithOIDC, org: ResolvedOrg, out: { error: string; error_description?: string }) {
	const description = out.error_description ?? 'The app sent a request that could not be completed.'
	return brandedPage(
		ctx,
		org,
		'oidc-error',
		'Sign-in problem',
		`<h1>We couldn't complete this sign-in</h1><p>${escapeHtml(description)}</p><p>Go back to the app and try again. If it keeps happening, tell the app's developers about error <code>${escapeHtml(out.error)}</code>.</p>`,
	)
}

export function logoutPage(ctx: KoaContextWithOIDC, org: ResolvedOrg, form: string) {
	// `form` is oidc-provider's hidden form (id op.logoutForm) carrying its own CSRF token.
	const name = escapeHtml(hostedLook(org).displayName)
	return brandedPage(
		ctx,
		org,
		'logout',
		'Sign out',
		`${form}<h1>Sign out of ${name}?</h1><p>You will be signed out here and in the app that sent you.</p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button><button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button>`,
	)
}

export function signedOutPage(ctx: KoaContextWithOIDC, org: ResolvedOrg) {
	return brandedPage(ctx, org, 'signed-out', 'Signed out', `<h1>You're signed out</h1><p>You can close this window.</p><p><a href="/login">Sign in again</a></p>`)
}
