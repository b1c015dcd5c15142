import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * The branding studio's drafts, versions and preview: a draft is seen only through a signed
 * preview link; publishing numbers a version that end users get at once; restoring publishes a
 * copy of an earlier one; the Management API and the CLI go through the same module.
 */
const foyer = foyerPerFile()
let owner: Client

/** The studio form as a browser without JavaScript posts it: every field, names as the document's. */
function studioForm(overrides: Record<string, string> = {}, intent = 'save') {
	return new URLSearchParams({
		intent,
		displayName: '',
		'logo.light': '',
		'logo.dark': '',
		icon: '',
		'colors.light.brand': '#0f766e',
		'colors.light.background': '',
		'colors.light.accent': '',
		'colors.dark.brand': '#5eead4',
		'colors.dark.background': '',
		'colors.dark.accent': '',
		themeId: 'default',
		font: 'system',
		radius: 'medium',
		appearance: 'light',
		'texts.signInHeading': '',
		'texts.signInSubtext': '',
		'texts.signUpHeading': '',
		'texts.footerText': '',
		'links.terms': '',
		'links.privacy': '',
		'links.support': '',
		customCss: '',
		...overrides,
	})
}

const draftRow = async () => (await foyer.sql<{ revision: number; document: Record<string, unknown> }>(`SELECT d.revision, d.document FROM "BrandingDraft" d JOIN "Organization" o ON o.id = d."organizationId" WHERE o.slug = 'acme'`))[0]
const versions = () => foyer.sql<{ number: number; restoredFrom: number | null }>(`SELECT v.number, v."restoredFrom" FROM "BrandingVersion" v JOIN "Organization" o ON o.id = v."organizationId" WHERE o.slug = 'acme' ORDER BY v.number`)
const publishedNumber = async () =>
	(await foyer.sql<{ number: number | null }>(`SELECT v.number FROM "Organization" o LEFT JOIN "BrandingVersion" v ON v.id = o."publishedBrandingId" WHERE o.slug = 'acme'`))[0]?.number ?? null
const events = (type: string) => foyer.sql<{ data: Record<string, unknown> }>(`SELECT e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = $1 ORDER BY e.seq`, [type])

/** The preview links the studio page hands out (its iframes' src). */
async function previewLinks(client: Client) {
	const html = await (await client.request('/admin/branding')).text()
	return [...html.matchAll(/<iframe[^>]*src="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'))
}

beforeAll(async () => {
	owner = foyer.client('acme')
	const signedIn = await owner.post('/login', foyer.admins.acme!)
	expect(signedIn.status).toBe(302)
})

describe('drafts', () => {
	it('saves a draft that end users do not get; bad input is a 400 on its field and changes nothing', async () => {
		const page = await owner.request('/admin/branding')
		expect(page.status).toBe(200)
		const html = await page.text()
		for (const label of ['Brand colour (light)', 'Brand colour (dark)', 'Theme', 'Font', 'Corners', 'Light or dark', 'Sign-in heading', 'Terms of service link', 'Stylesheet']) expect(html).toContain(label)

		const saved = await owner.post('/admin/branding', studioForm({ 'texts.signInHeading': 'Welcome to the draft' }))
		expect(saved.status).toBe(302)
		expect(saved.headers.get('location')).toBe('/admin/branding?notice=saved')
		const draft = await draftRow()
		expect(draft!.document).toMatchObject({ colors: { light: { brand: '#0f766e' } }, texts: { signInHeading: 'Welcome to the draft' } })
		expect(await publishedNumber()).toBeNull()
		expect(await events('branding.draft_saved')).toHaveLength(1)

		for (const [field, value, message] of [
			['colors.light.brand', 'red', 'Use a hex colour like #4f46e5'],
			['links.terms', 'http://example.com/terms', 'Use a full https:// address'],
			['texts.signInHeading', 'x'.repeat(61), 'At most 60 characters'],
			['texts.footerText', '<b>hi</b>', 'Plain text only'],
			['themeId', 'no-such-theme', 'No such theme'],
			['logo.light', `${'a'.repeat(64)}.png`, 'Upload the image first'],
			['font', 'comic-sans', 'Invalid option'],
		] as const) {
			const refused = await owner.post('/admin/branding', studioForm({ [field]: value }))
			expect(refused.status, field).toBe(400)
			expect(await refused.text(), field).toContain(message)
		}
		expect((await draftRow())!.revision).toBe(draft!.revision)
	})

	it('shows the draft only through a signed preview link, as a visitor would see it, framed by the org’s own pages only', async () => {
		await owner.post('/admin/branding', studioForm({ 'texts.signInHeading': 'Previewed heading' }))
		const links = await previewLinks(owner)
		expect(links).toHaveLength(6)
		const signIn = links.find((link) => link.startsWith('/login?'))!
		// The owner is signed in, yet the preview shows the sign-in form: a preview is rendered without cookies.
		const preview = await owner.request(signIn)
		expect(preview.status).toBe(200)
		expect(await preview.text()).toContain('name="password"')
		expect(preview.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
		expect(preview.headers.get('cache-control')).toBe('no-store')
		const mfa = await owner.request(links.find((link) => link.startsWith('/login/mfa?'))!)
		expect(mfa.status).toBe(200)
		expect(await mfa.text()).toContain('Code from your authenticator app')

		// Everyone else gets the published page, which may not be framed.
		const visitor = await foyer.client('acme').request('/login')
		expect(visitor.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")

		const token = new URL(signIn, 'http://x').searchParams.get('foyer-preview')!
		const [payload, signature] = token.split('.')
		for (const forged of [`${payload}.${'0'.repeat(64)}`, `${Buffer.from('other-org.1.9999999999').toString('base64url')}.${signature}`, 'garbage', 'x'.repeat(400)]) {
			const refused = await foyer.client('acme').request(`/login?foyer-preview=${encodeURIComponent(forged)}`)
			expect(refused.status).toBe(404)
			expect(await refused.text()).toContain('Preview expired')
		}
		// Another org's host does not open acme's draft.
		expect((await foyer.client('operator').request(signIn)).status).toBe(404)
		// Saving again moves the draft on: the old link shows nothing of it.
		await owner.post('/admin/branding', studioForm({ 'texts.signInHeading': 'A newer heading' }))
		expect((await foyer.client('acme').request(signIn)).status).toBe(404)
		// A preview only shows pages.
		expect((await foyer.client('acme').post(`/login?foyer-preview=${encodeURIComponent(token)}`, { email: 'a@example.com', password: PASSWORD })).status).toBe(405)
	})
})

describe('versions', () => {
	it('publishes numbered versions, lists who published them, and restores one as the next version', async () => {
		const first = await owner.post('/admin/branding', studioForm({ 'colors.light.brand': '#b91c1c' }, 'publish'))
		expect(first.headers.get('location')).toBe('/admin/branding?notice=published')
		expect(await publishedNumber()).toBe(1)
		await owner.post('/admin/branding', studioForm({ 'colors.light.brand': '#1d4ed8' }, 'publish'))
		expect(await publishedNumber()).toBe(2)

		const restored = await owner.post('/admin/branding', { intent: 'restore', number: '1' })
		expect(restored.headers.get('location')).toBe('/admin/branding?notice=restored')
		expect(await versions()).toEqual([
			{ number: 1, restoredFrom: null },
			{ number: 2, restoredFrom: null },
			{ number: 3, restoredFrom: 1 },
		])
		expect(await publishedNumber()).toBe(3)
		expect((await draftRow())!.document).toMatchObject({ colors: { light: { brand: '#b91c1c' } } })
		expect((await events('branding.published')).map((event) => event.data.number)).toEqual([1, 2])
		expect(await events('branding.restored')).toEqual([{ data: { number: 3, from: 1 } }])

		const history = await (await owner.request('/admin/branding')).text()
		expect(history).toContain('Restore version 1')
		expect(history).toContain(foyer.admins.acme!.email)
		expect((await owner.post('/admin/branding', { intent: 'restore', number: '99' })).status).toBe(404)
	})

	it('discards a draft back to what visitors see', async () => {
		await owner.post('/admin/branding', studioForm({ 'colors.light.brand': '#7c3aed' }))
		const discarded = await owner.post('/admin/branding', { intent: 'discard' })
		expect(discarded.headers.get('location')).toBe('/admin/branding?notice=discarded')
		expect((await draftRow())!.document).toMatchObject({ colors: { light: { brand: '#b91c1c' } } })
	})

	it('lets a role that reads branding look, and refuses it every change', async () => {
		const email = `brand-reader-${Date.now()}@example.com`
		const reader = await signUpVerified(foyer, 'acme', email)
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'role-brand-reader', id, 'Brand reader', '{"branding":["read"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		await foyer.sql(`UPDATE "User" SET role = 'Brand reader' WHERE email = $1`, [email])
		const page = await reader.request('/admin/branding')
		expect(page.status).toBe(200)
		expect(await page.text()).not.toContain('value="publish"')
		for (const form of [studioForm({}, 'publish'), new URLSearchParams({ intent: 'restore', number: '1' }), new URLSearchParams({ intent: 'discard' })]) {
			expect((await reader.post('/admin/branding', form)).status).toBe(403)
		}
		expect(await publishedNumber()).toBe(3)
	})
})

describe('Management API and CLI', () => {
	it('reads, drafts, publishes and restores through the same module, with the key as actor', async () => {
		const made = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'brand bot', '--allow', 'branding:read,branding:update', '--json'])
		expect(made.code, made.stderr).toBe(0)
		const key = String(made.json!.key)
		const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
			foyer.client('acme').request(path, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: init.body === undefined ? undefined : JSON.stringify(init.body), origin: null })

		const state = (await (await api('/api/v1/branding')).json()) as { published: { version: number }; draft: { document: Record<string, unknown> } }
		expect(state.published.version).toBe(3)
		const document = { ...state.draft.document, colors: { light: { brand: 'not a colour' }, dark: { brand: '#5eead4' } } }
		const refused = await api('/api/v1/branding/draft', { method: 'PUT', body: document })
		expect(refused.status).toBe(400)
		expect(((await refused.json()) as { error: { details: { path: string }[] } }).error.details).toEqual([expect.objectContaining({ path: 'body.colors.light.brand' })])
		const saved = await api('/api/v1/branding/draft', { method: 'PUT', body: { ...document, colors: { light: { brand: '#0369a1' }, dark: { brand: '#7dd3fc' } } } })
		expect(saved.status).toBe(200)
		const published = await api('/api/v1/branding/publish', { method: 'POST' })
		expect(published.status).toBe(201)
		expect(await published.json()).toEqual({ number: 4 })
		const list = (await (await api('/api/v1/branding/versions')).json()) as { data: { number: number; publishedBy: string; current: boolean }[] }
		expect(list.data[0]).toMatchObject({ number: 4, publishedBy: 'API key “brand bot”', current: true })
		expect((await api('/api/v1/branding/versions/2')).status).toBe(200)
		expect((await api('/api/v1/branding/versions/42')).status).toBe(404)
		expect((await api('/api/v1/branding/versions/2/restore', { method: 'POST' })).status).toBe(201)
		expect(await publishedNumber()).toBe(5)
	})

	it('edits, publishes, lists and restores from the command line', async () => {
		const set = await foyer.cli(['branding', 'set', '--org', 'acme', 'colors.light.brand=#be123c', 'texts.signInHeading=From the CLI', 'securedBy=false', '--json'])
		expect(set.code, set.stderr).toBe(0)
		const bad = await foyer.cli(['branding', 'set', '--org', 'acme', 'colors.light.brand=pink'])
		expect(bad.code).toBe(1)
		expect(bad.stderr).toContain('colors.light.brand: Use a hex colour')
		expect((await foyer.cli(['branding', 'set', '--org', 'acme', 'nonsense.path=1'])).code).toBe(2)
		const published = await foyer.cli(['branding', 'publish', '--org', 'acme', '--json'])
		expect(published.json).toMatchObject({ version: 6 })
		const listed = await foyer.cli(['branding', 'versions', '--org', 'acme', '--json'])
		expect((listed.json!.versions as { number: number }[]).map((version) => version.number)).toEqual([6, 5, 4, 3, 2, 1])
		const restored = await foyer.cli(['branding', 'restore', '--org', 'acme', '--version', '1', '--json'])
		expect(restored.json).toMatchObject({ version: 7, restoredFrom: 1 })
		expect((await foyer.cli(['branding', 'restore', '--org', 'acme', '--version', '99'])).code).toBe(1)
	})
})
