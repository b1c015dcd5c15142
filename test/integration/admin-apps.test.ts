import { beforeAll, describe, expect, it } from 'vitest'
import { signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { oidc, relyingParty } from '../setup/oidc'

/**
 * /admin/apps through the front door, as a browser without JavaScript: who may use it, the
 * secret shown exactly once, edits and deletes with their audit events, bad input answered with
 * a 4xx and a message, and no way to reach another org's app.
 */
const foyer = foyerPerFile()
let owner: Client

beforeAll(async () => {
	owner = foyer.client('acme')
	const login = await owner.post('/login', foyer.admins.acme!)
	expect(login.status).toBe(302)
})

type AppRow = { clientId: string; name: string; type: string; redirectUris: string[]; postLogoutRedirectUris: string[]; firstParty: boolean; clientSecretEncrypted: string | null }

const acmeApps = () =>
	foyer.sql<AppRow>(`SELECT a."clientId", a.name, a.type, a."redirectUris", a."postLogoutRedirectUris", a."firstParty", a."clientSecretEncrypted" FROM "Application" a JOIN "Organization" o ON o.id = a."organizationId" WHERE o.slug = 'acme' ORDER BY a."createdAt"`)

const appId = async (clientId: string) => (await foyer.sql<{ id: string }>('SELECT id FROM "Application" WHERE "clientId" = $1', [clientId]))[0]!.id

const auditCount = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "AuditEvent"'))[0]!.n)

/** The credentials panel of the create response. */
function created(html: string) {
	const clientId = /data-testid="created-client-id"[^>]*>([^<]+)</.exec(html)?.[1]
	const clientSecret = /data-testid="created-client-secret"[^>]*>([^<]+)</.exec(html)?.[1]
	return { clientId, clientSecret }
}

async function createThroughUi(fields: Record<string, string>) {
	const response = await owner.post('/admin/apps', fields)
	const html = await response.text()
	expect(response.status, html.slice(0, 500)).toBe(201)
	const credentials = created(html)
	expect(credentials.clientId).toBeTruthy()
	return { html, ...credentials, clientId: credentials.clientId! }
}

async function expectClientError(response: Awaited<ReturnType<Client['request']>>, status: number) {
	const html = await response.text()
	expect(response.status, html.slice(0, 300)).toBe(status)
	// A message a person can read: a field error, the form error or the error page.
	expect(html).toMatch(/role="alert"|id="[^"]+-error"/)
	return html
}

describe('who may use /admin', () => {
	it('sends anonymous visitors to sign in and back', async () => {
		const anonymous = foyer.client('acme')
		for (const path of ['/admin', '/admin/apps', '/admin/apps/whatever']) {
			const response = await anonymous.request(path)
			expect(response.status, path).toBe(302)
			expect(response.headers.get('location')).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`)
		}
		const before = (await acmeApps()).length
		const post = await anonymous.post('/admin/apps', { name: 'Sneaky', type: 'spa', redirectUris: 'http://localhost:5173/cb' })
		expect(post.status).toBe(302)
		expect(await acmeApps()).toHaveLength(before)
	})

	it('refuses a signed-in member with 403 and writes nothing', async () => {
		const member = await signUpVerified(foyer, 'acme', `member-${Date.now()}@example.com`)
		expect((await member.request('/account')).status).toBe(200)
		for (const path of ['/admin', '/admin/apps']) {
			const html = await expectClientError(await member.request(path), 403)
			expect(html).toContain('have access to this page')
		}
		const before = (await acmeApps()).length
		await expectClientError(await member.post('/admin/apps', { name: 'Sneaky', type: 'spa', redirectUris: 'http://localhost:5173/cb' }), 403)
		expect(await acmeApps()).toHaveLength(before)
	})

	it('lets the owner in: /admin leads to the dashboard, and the apps page is never cached', async () => {
		const index = await owner.request('/admin')
		expect(index.status).toBe(302)
		expect(index.headers.get('location')).toBe('/admin/dashboard')
		const page = await owner.request('/admin/apps')
		expect(page.status).toBe(200)
		expect(page.headers.get('cache-control')).toBe('no-store')
		const html = await page.text()
		expect(html).toContain('Create an app')
		expect(html).toContain('Acme')
	})
})

describe('managing apps as the acme owner', () => {
	it('creates a web app and shows its secret once, never again', async () => {
		const { html, clientId, clientSecret } = await createThroughUi({ name: 'Billing portal', type: 'web', redirectUris: 'https://billing.example.com/callback\r\nhttp://localhost:3001/callback\r\n', postLogoutRedirectUris: 'https://billing.example.com/' })
		expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/)
		expect(html).toContain('won&#x27;t be shown again')
		expect(html).not.toContain('Something went wrong')

		const [row] = (await acmeApps()).filter((app) => app.clientId === clientId)
		expect(row).toMatchObject({ name: 'Billing portal', type: 'web', redirectUris: ['https://billing.example.com/callback', 'http://localhost:3001/callback'], postLogoutRedirectUris: ['https://billing.example.com/'], firstParty: false })
		expect(row!.clientSecretEncrypted).toBeTruthy()
		expect(row!.clientSecretEncrypted).not.toContain(clientSecret)

		const list = await (await owner.request('/admin/apps')).text()
		expect(list).toContain(clientId)
		expect(list).toContain('Billing portal')
		expect(list).not.toContain(clientSecret)
		const detail = await owner.request(`/admin/apps/${clientId}`)
		expect(detail.status).toBe(200)
		const detailHtml = await detail.text()
		expect(detailHtml).not.toContain(clientSecret)
		// The quick start: issuer, discovery, client id, auth method, PKCE, redirect URI, snippet.
		const origin = foyer.origin('acme.localhost')
		expect(detailHtml).toContain(`${origin}/.well-known/openid-configuration`)
		expect(detailHtml).toContain('client_secret_basic')
		expect(detailHtml).toContain('S256')
		expect(detailHtml).toContain('https://billing.example.com/callback')
		expect(detailHtml).toContain('client.authorizationCodeGrant')
		expect(detailHtml).toContain('client.ClientSecretBasic')
	})

	it('creates a spa app without a secret; its quick start uses no client authentication', async () => {
		const { html, clientId, clientSecret } = await createThroughUi({ name: 'Dashboard', type: 'spa', redirectUris: 'http://localhost:5173/callback', firstParty: 'on' })
		expect(clientSecret).toBeUndefined()
		expect(html).toContain('public client')
		const [row] = (await acmeApps()).filter((app) => app.clientId === clientId)
		expect(row).toMatchObject({ type: 'spa', firstParty: true, clientSecretEncrypted: null })
		const detail = await (await owner.request(`/admin/apps/${clientId}`)).text()
		expect(detail).toMatch(/Token endpoint auth:\s+none/)
		expect(detail).toContain('client.None()')
	})

	it('creates an m2m app whose shown secret is the one the token endpoint accepts', async () => {
		const { clientId, clientSecret } = await createThroughUi({ name: 'Nightly sync', type: 'm2m' })
		expect(clientSecret).toBeTruthy()
		const config = await relyingParty({ clientId, clientSecret, issuer: foyer.origin('acme.localhost'), redirectUris: [] })
		const tokens = await oidc.clientCredentialsGrant(config)
		expect(tokens.access_token).toBeTruthy()
		const detail = await (await owner.request(`/admin/apps/${clientId}`)).text()
		expect(detail).toContain('client.clientCredentialsGrant')
	})

	it('edits name, redirect URIs, post-logout URIs and the first-party flag', async () => {
		const { clientId } = await createThroughUi({ name: 'Shop', type: 'web', redirectUris: 'https://shop.example.com/cb' })
		const response = await owner.post(`/admin/apps/${clientId}`, { intent: 'update', name: 'Shop (new)', redirectUris: 'https://shop.example.com/cb\nhttps://shop.example.com/cb2\nhttps://shop.example.com/cb2', postLogoutRedirectUris: 'https://shop.example.com/bye', firstParty: 'on', type: 'spa' })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe(`/admin/apps/${clientId}?saved=1`)
		const [row] = (await acmeApps()).filter((app) => app.clientId === clientId)
		// Duplicates collapse; the type is fixed at creation whatever the form says.
		expect(row).toMatchObject({ name: 'Shop (new)', type: 'web', redirectUris: ['https://shop.example.com/cb', 'https://shop.example.com/cb2'], postLogoutRedirectUris: ['https://shop.example.com/bye'], firstParty: true })
		const page = await (await owner.request(`/admin/apps/${clientId}?saved=1`)).text()
		expect(page).toContain('Changes saved')
		expect(page).toContain('Shop (new)')
	})

	it('deletes only after confirmation and records created, updated and deleted', async () => {
		const { clientId } = await createThroughUi({ name: 'Short-lived', type: 'spa', redirectUris: 'http://localhost:4000/cb' })
		const id = await appId(clientId)
		expect((await owner.post(`/admin/apps/${clientId}`, { intent: 'update', name: 'Short-lived 2', redirectUris: 'http://localhost:4000/cb' })).status).toBe(302)

		const unconfirmed = await expectClientError(await owner.post(`/admin/apps/${clientId}`, { intent: 'delete' }), 400)
		expect(unconfirmed).toContain('Tick the box to confirm')
		expect((await acmeApps()).some((app) => app.clientId === clientId)).toBe(true)

		const response = await owner.post(`/admin/apps/${clientId}`, { intent: 'delete', confirm: 'on' })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/admin/apps?deleted=1')
		expect((await acmeApps()).some((app) => app.clientId === clientId)).toBe(false)
		expect((await owner.request(`/admin/apps/${clientId}`)).status).toBe(404)
		expect(await (await owner.request('/admin/apps?deleted=1')).text()).toContain('The app was deleted')

		const [ownerRow] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [foyer.admins.acme!.email])
		const events = await foyer.sql<{ type: string; actorId: string | null; ip: string | null; userAgent: string | null }>(`SELECT type, "actorId", ip, "userAgent" FROM "AuditEvent" WHERE "targetType" = 'app' AND "targetId" = $1 ORDER BY seq`, [id])
		expect(events.map((event) => event.type)).toEqual(['app.created', 'app.updated', 'app.deleted'])
		for (const event of events) {
			expect(event.actorId).toBe(ownerRow!.id)
			expect(event.ip).toBeTruthy()
			expect(event.userAgent).toBeTruthy()
		}
	})
})

describe('bad input', () => {
	const valid = { name: 'Valid', type: 'web', redirectUris: 'https://ok.example.com/cb' }
	const cases: Array<[string, Record<string, string>, RegExp]> = [
		['plain http off localhost', { ...valid, redirectUris: 'http://evil.example/cb' }, /must use https/],
		['a fragment', { ...valid, redirectUris: 'https://ok.example.com/cb#frag' }, /fragment/],
		['a relative URI', { ...valid, redirectUris: '/cb' }, /not an absolute URL/],
		['a wildcard', { ...valid, redirectUris: 'https://*.example.com/cb' }, /wildcards/],
		['userinfo', { ...valid, redirectUris: 'https://user:pw@ok.example.com/cb' }, /user name or password/],
		['a missing name', { type: 'web', redirectUris: 'https://ok.example.com/cb' }, /Name is required/],
		['a blank name', { ...valid, name: '   ' }, /Name is required/],
		['a long name', { ...valid, name: 'x'.repeat(101) }, /at most 100 characters/],
		['an unknown type', { ...valid, type: 'saml' }, /Choose web, spa, native or m2m/],
		['no type', { name: 'Valid', redirectUris: 'https://ok.example.com/cb' }, /Choose web, spa, native or m2m/],
		['no redirect URI', { name: 'Valid', type: 'spa' }, /at least one redirect URI/],
		['redirect URIs on m2m', { ...valid, type: 'm2m' }, /no redirect URIs/],
		['a NUL byte in the name', { ...valid, name: 'Bad\u0000name' }, /control characters/],
		['a NUL byte in a URI', { ...valid, redirectUris: 'https://ok.example.com/c\u0000b' }, /control characters/],
		['a bad post-logout URI', { ...valid, postLogoutRedirectUris: 'javascript:alert(1)' }, /must use https/],
		['too many URIs', { ...valid, redirectUris: Array.from({ length: 21 }, (_, i) => `https://ok.example.com/cb${i}`).join('\n') }, /At most 20 URIs/],
	]

	it.each(cases)('refuses %s on create with 400 and writes nothing', async (_label, fields, message) => {
		const apps = (await acmeApps()).length
		const events = await auditCount()
		const html = await expectClientError(await owner.post('/admin/apps', fields), 400)
		expect(html).toMatch(message)
		expect(html).not.toContain('data-testid="created-app"')
		expect(await acmeApps()).toHaveLength(apps)
		expect(await auditCount()).toBe(events)
	})

	it('refuses bad edits with 400 and leaves the app as it was', async () => {
		const { clientId } = await createThroughUi({ name: 'Stable', type: 'spa', redirectUris: 'http://localhost:7000/cb' })
		const events = await auditCount()
		for (const fields of [
			{ intent: 'update', name: 'Stable', redirectUris: 'http://evil.example/cb' },
			{ intent: 'update', name: 'Stable', redirectUris: 'http://localhost:7000/cb#x' },
			{ intent: 'update', name: '', redirectUris: 'http://localhost:7000/cb' },
			{ intent: 'update', name: 'St\u0000able', redirectUris: 'http://localhost:7000/cb' },
		]) {
			await expectClientError(await owner.post(`/admin/apps/${clientId}`, fields), 400)
		}
		await expectClientError(await owner.post(`/admin/apps/${clientId}`, { intent: 'explode' }), 400)
		const [row] = (await acmeApps()).filter((app) => app.clientId === clientId)
		expect(row).toMatchObject({ name: 'Stable', redirectUris: ['http://localhost:7000/cb'] })
		expect(await auditCount()).toBe(events)
	})

	it('answers a body that is not a form with 415, and odd app ids with 404', async () => {
		const json = await owner.request('/admin/apps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', type: 'spa' }) })
		expect(json.status).toBe(415)
		for (const id of ['%00', 'a%00b', 'x'.repeat(300), '..%2F..%2Fetc', 'nope']) {
			expect((await owner.request(`/admin/apps/${id}`)).status, id).toBe(404)
			expect((await owner.post(`/admin/apps/${id}`, { intent: 'delete', confirm: 'on' })).status, id).toBe(404)
		}
	})
})

describe('isolation between orgs', () => {
	it("never shows or changes another org's app", async () => {
		const result = await foyer.cli(['apps', 'create', '--org', 'operator', '--name', 'Operator tool', '--type', 'spa', '--redirect-uri', 'http://localhost:9999/cb', '--json'])
		expect(result.code, result.stderr).toBe(0)
		const clientId = result.json!.clientId as string
		const id = await appId(clientId)

		expect(await (await owner.request('/admin/apps')).text()).not.toContain(clientId)
		await expectClientError(await owner.request(`/admin/apps/${clientId}`), 404)
		await expectClientError(await owner.post(`/admin/apps/${clientId}`, { intent: 'update', name: 'Hijacked', redirectUris: 'http://localhost:9999/evil' }), 404)
		await expectClientError(await owner.post(`/admin/apps/${clientId}`, { intent: 'delete', confirm: 'on' }), 404)

		const [row] = await foyer.sql<{ name: string; redirectUris: string[] }>(`SELECT name, "redirectUris" FROM "Application" WHERE "clientId" = $1`, [clientId])
		expect(row).toEqual({ name: 'Operator tool', redirectUris: ['http://localhost:9999/cb'] })
		const events = await foyer.sql<{ type: string }>(`SELECT type FROM "AuditEvent" WHERE "targetId" = $1 AND type <> 'app.created'`, [id])
		expect(events).toHaveLength(0)

		// And the acme owner's session means nothing on the operator host.
		const operatorHost = foyer.client('operator')
		operatorHost.jar.set('localhost', new Map(owner.cookies()))
		expect((await operatorHost.request(`/admin/apps/${clientId}`)).status).toBe(302)
	})
})
