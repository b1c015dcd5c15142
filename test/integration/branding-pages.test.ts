import { describe, expect, it } from 'vitest'
import { type BrandingInput } from '../../app/modules/branding/document'
import { FONTS } from '../../app/modules/branding/fonts'
import { publishBranding } from '../setup/branding'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * The hosted pages in the org's published branding (ResolvedOrg.branding): tokens, font, name,
 * logo, favicon, texts, links, "Secured by", the custom stylesheet and its hooks, on the sign-in
 * pages, the 404, oidc-provider's own pages and the suspended org's 503; the fonts and the
 * default favicon as static files.
 */
const foyer = foyerPerFile()

const sha = (digit: string) => digit.repeat(64)
const full: BrandingInput = {
	displayName: 'Initech Login',
	logo: { light: { sha256: sha('a'), type: 'png' }, dark: { sha256: sha('b'), type: 'svg' } },
	icon: { sha256: sha('c'), type: 'png' },
	colors: { light: { brand: '#7c3aed', background: '#fdf6e3', accent: '#0f766e' }, dark: { brand: '#a78bfa', background: '#0b1020' } },
	themeId: 'default',
	font: 'inter',
	radius: 'large',
	appearance: 'system',
	texts: { signInHeading: 'Welcome back to Initech', signInSubtext: 'Use your work email.', signUpHeading: 'Join Initech', footerText: 'Initech Corp. 1999' },
	links: { terms: 'https://initech.example/terms', privacy: 'https://initech.example/privacy', support: 'https://initech.example/help' },
}

/** Waits until the server has dropped the org from its cache (the change notification is asynchronous). */
async function eventually(check: () => Promise<void>) {
	const deadline = Date.now() + 5000
	for (;;) {
		try {
			return await check()
		} catch (error) {
			if (Date.now() > deadline) throw error
			await new Promise((resolve) => setTimeout(resolve, 100))
		}
	}
}

async function createOrg(slug: string, color = '#0f766e') {
	const created = await foyer.cli(['orgs', 'create', '--name', slug[0]!.toUpperCase() + slug.slice(1), '--slug', slug, '--color', color, '--json'])
	expect(created.code, created.stderr).toBe(0)
}

async function page(slug: string, path: string) {
	const response = await foyer.client(slug).request(path)
	return { status: response.status, headers: response.headers, html: await response.text() }
}

describe('static files', () => {
	it('serves every shipped font from /fonts for a year, and a missing one is a 404, not an error', async () => {
		for (const font of Object.values(FONTS)) {
			for (const face of font.faces) {
				const response = await foyer.client('acme').request(`/fonts/${face.file}`)
				expect(response.status, face.file).toBe(200)
				expect(response.headers.get('content-type')).toBe('font/woff2')
				expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
				expect(Buffer.from(await response.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('wOF2')
			}
		}
		const licence = await foyer.client('acme').request('/fonts/inter/LICENSE.txt')
		expect(await licence.text()).toContain('SIL Open Font License')
		for (const path of ['/fonts/inter/nope.woff2', '/fonts/../package.json', '/fonts/%2e%2e/package.json', '/build/nope.js']) {
			const missing = await foyer.client('acme').request(path)
			expect(missing.status, path).toBe(404)
		}
	})

	it("serves Foyer's default favicon, which names nobody", async () => {
		const response = await foyer.client('acme').request('/favicon.svg')
		expect(response.status).toBe(200)
		expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
		expect(response.headers.get('cache-control')).toBe('public, max-age=86400')
		expect(await response.text()).not.toMatch(/foyer|<script|<text/i)
	})
})

describe('an org that never published', () => {
	it('shows its legacy colour and theme, the default favicon, no stylesheet, no hooks, no web font', async () => {
		const { html } = await page('acme', '/login')
		expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>')
		expect(html).toContain('--brand-primary:#c2410c;')
		expect(html).toContain('color-scheme:light;')
		expect(html).not.toContain('@font-face')
		expect(html).not.toContain('/branding/')
		expect(html).not.toContain('data-foyer')
		expect(html).not.toMatch(/foyer/i)
		expect(html).toContain('>Acme</p>')
		expect(html).toContain('>Sign in</h1>')
	})
})

describe('a published version', () => {
	it('is what the pages show, never the org row: colours per mode, font, radius, name, logo, favicon, texts and links', async () => {
		await createOrg('initech')
		const { version } = await publishBranding(foyer.sql, 'initech', full)
		expect(version).toBe(1)

		const { html } = await page('initech', '/login')
		expect(html).toContain('--brand-primary:#7c3aed;')
		expect(html).not.toContain('#0f766e;--brand-primary-hover') // the org row's legacy colour is not the button
		expect(html).toContain('--brand-background:#fdf6e3;')
		expect(html).toContain('--brand-link:#0f766e;')
		expect(html).toContain('@media (prefers-color-scheme: dark){:root{--brand-background:#0b1020;')
		expect(html).toContain('--brand-radius:0.75rem;')
		expect(html).toContain(`@font-face{font-family:'Inter Variable'`)
		expect(html).not.toContain('Atkinson')
		expect(html).not.toContain('Source Serif')

		expect(html).toContain(`<link rel="icon" href="/assets/${sha('c')}.png" type="image/png"/>`)
		expect(html).toContain(`<picture><source media="(prefers-color-scheme: dark)" srcSet="/assets/${sha('b')}.svg"/><img src="/assets/${sha('a')}.png" alt="Initech Login"`)
		expect(html).toContain('<title>Sign in · Initech Login</title>')
		expect(html).toContain('>Welcome back to Initech</h1>')
		expect(html).toContain('>Use your work email.</p>')
		expect(html).toContain('>Initech Corp. 1999</p>')
		for (const [label, href] of [
			['Terms', 'https://initech.example/terms'],
			['Privacy', 'https://initech.example/privacy'],
			['Support', 'https://initech.example/help'],
		]) {
			expect(html).toContain(`<a href="${href}" rel="noopener" class="text-link underline">${label}</a>`)
		}
		expect(html).not.toContain('target=')
		// White-label by default: no "Secured by", no hooks without custom CSS, no vendor name anywhere.
		expect(html).not.toMatch(/foyer/i)

		expect((await page('initech', '/signup')).html).toContain('>Join Initech</h1>')
	})

	it('falls back to the default words where a text is not set, and shows "Secured by Foyer" only when turned on', async () => {
		await createOrg('hooli')
		await publishBranding(foyer.sql, 'hooli', { colors: { light: { brand: '#2563eb' }, dark: { brand: '#2563eb' } }, securedBy: true })
		const login = (await page('hooli', '/login')).html
		expect(login).toContain('>Sign in</h1>')
		expect(login).toContain('>Secured by Foyer</p>')
		expect((await page('hooli', '/signup')).html).toContain('>Create your account</h1>')

		await publishBranding(foyer.sql, 'hooli', { colors: { light: { brand: '#2563eb' }, dark: { brand: '#2563eb' } } })
		await eventually(async () => expect((await page('hooli', '/login')).html).not.toContain('Secured by'))
	})

	it('with custom CSS: links that version\'s stylesheet, after the tokens, and puts the hooks on the page', async () => {
		await createOrg('umbrella')
		await publishBranding(foyer.sql, 'umbrella', { ...full, displayName: null, logo: { light: null, dark: null } })
		const { version } = await publishBranding(foyer.sql, 'umbrella', { ...full, displayName: null, logo: { light: null, dark: null } }, '[data-foyer-card]{box-shadow:none}')
		expect(version).toBe(2)
		await eventually(async () => expect((await page('umbrella', '/login')).html).toContain('/branding/2.css'))
		const { html } = await page('umbrella', '/login')
		expect(html.indexOf('<link rel="stylesheet" href="/branding/2.css"/>')).toBeGreaterThan(html.indexOf('--brand-primary:'))
		for (const hook of ['data-foyer-page="login"', 'data-foyer-card=""', 'data-foyer-name=""', 'data-foyer-title=""', 'data-foyer-subtext=""', 'data-foyer-field=""', 'data-foyer-button="primary"', 'data-foyer-card-footer=""', 'data-foyer-footer=""', 'data-foyer-link="terms"']) {
			expect(html).toContain(hook)
		}
		const notFound = await page('umbrella', '/no-such-page')
		expect(notFound.status).toBe(404)
		expect(notFound.html).toContain('data-foyer-page="error"')
		expect(notFound.html).toContain('>Umbrella</p>')
	})

	it('brands the 404 of the org host and oidc-provider\'s own pages', async () => {
		const notFound = await page('initech', '/no-such-page')
		expect(notFound.status).toBe(404)
		expect(notFound.html).toContain('alt="Initech Login"')
		expect(notFound.html).toContain('>Initech Corp. 1999</p>')
		expect(notFound.html).toContain("We couldn&#x27;t find that page.")

		const oidcError = await page('initech', '/oidc/auth?client_id=nope&response_type=code&scope=openid')
		expect(oidcError.status).toBe(400)
		expect(oidcError.html).toContain("We couldn't complete this sign-in")
		expect(oidcError.html).toContain('<title>Sign-in problem · Initech Login</title>')
		expect(oidcError.html).toContain('--brand-primary:#7c3aed;')
		expect(oidcError.html).toContain(`<img src="/assets/${sha('a')}.png" alt="Initech Login">`)
		expect(oidcError.html).toContain('<a href="https://initech.example/terms" rel="noopener">Terms</a>')
		const nonce = /'nonce-([^']+)'/.exec(oidcError.headers.get('content-security-policy') ?? '')?.[1]
		expect(oidcError.html).toContain(`<style nonce="${nonce}">`)
		expect(oidcError.html).not.toMatch(/foyer/i)
	})
})

describe('a suspended org', () => {
	it('answers 503 in its published colours and font, with no name, logo, stylesheet, hooks or vendor', async () => {
		await createOrg('vandelay')
		await publishBranding(foyer.sql, 'vandelay', { ...full, displayName: 'Vandelay Industries', securedBy: true }, '[data-foyer-card]::after{content:"Vandelay"}')
		expect((await page('vandelay', '/login')).status).toBe(200)
		await foyer.sql(`UPDATE "Organization" SET "suspendedAt" = now() WHERE slug = 'vandelay' RETURNING id`)
		const [org] = await foyer.sql<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = 'vandelay'`)
		await foyer.sql(`SELECT pg_notify('foyer_changes', $1)`, [JSON.stringify({ type: 'org', id: org!.id })])

		await eventually(async () => expect((await page('vandelay', '/login')).status).toBe(503))
		for (const path of ['/login', '/signup', '/oidc/auth?client_id=x']) {
			const { status, headers, html } = await page('vandelay', path)
			expect(status, path).toBe(503)
			expect(html).toContain('This sign-in page is not available right now.')
			expect(html).toContain('--brand-primary:#7c3aed;')
			expect(html).toContain('--brand-background:#fdf6e3;')
			expect(html).toContain(`@font-face{font-family:'Inter Variable'`)
			const nonce = /'nonce-([^']+)'/.exec(headers.get('content-security-policy') ?? '')?.[1]
			expect(nonce).toBeTruthy()
			expect(html).toContain(`<style nonce="${nonce}">`)
			expect(html).not.toMatch(/vandelay|foyer|suspend|\/assets\/|\/branding\/|data-foyer|Initech/i)
		}
	})
})

describe('a legacy org on the midnight theme', () => {
	it('stays dark, as it was before versions existed', async () => {
		await createOrg('darkly')
		await foyer.sql(`UPDATE "Organization" SET "themeId" = 'midnight' WHERE slug = 'darkly' RETURNING id`)
		const [org] = await foyer.sql<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = 'darkly'`)
		await foyer.sql(`SELECT pg_notify('foyer_changes', $1)`, [JSON.stringify({ type: 'org', id: org!.id })])
		await eventually(async () => expect((await page('darkly', '/login')).html).toContain('color-scheme:dark;'))
		expect((await page('darkly', '/login')).html).toContain('--brand-background:#0b1120;')
	})
})
