import { describe, expect, it } from 'vitest'
import { fetch } from 'undici'
import { startFoyer } from '../setup/foyer'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { loopback, requestWithHost } from '../setup/http'

const foyer = foyerPerFile()

const credentials = { email: 'csrf@example.com', password: PASSWORD }

describe('same-origin check on every non-GET', () => {
	it('refuses a form posted from another host with 403 and sets no cookie', async () => {
		await signUpVerified(foyer, 'acme', credentials.email)
		for (const origin of [foyer.origin('operator.localhost'), foyer.origin('evil.localhost'), 'http://acme.localhost:1', 'https://acme.localhost:' + foyer.port, 'null']) {
			const response = await foyer.client('acme').post('/login', credentials, { origin })
			expect(response.status, origin).toBe(403)
			expect(response.headers.getSetCookie(), origin).toEqual([])
			expect(await response.text()).toContain('sent from another site')
		}
	})

	it('refuses a POST with neither Origin nor Referer, and accepts a same-origin Referer', async () => {
		const client = foyer.client('acme')
		expect((await client.post('/login', credentials, { origin: null })).status).toBe(403)
		const viaReferer = await client.post('/login', credentials, { origin: null, headers: { referer: `${client.origin}/login` } })
		expect(viaReferer.status).toBe(302)
		const foreignReferer = await foyer.client('acme').post('/login', credentials, { origin: null, headers: { referer: 'http://evil.localhost/x' } })
		expect(foreignReferer.status).toBe(403)
	})

	it('protects sign-out too, so another site cannot sign a user out', async () => {
		const client = foyer.client('acme')
		await client.post('/login', credentials)
		expect((await client.post('/logout', {}, { origin: 'http://evil.localhost' })).status).toBe(403)
		expect((await client.request('/account')).status).toBe(200)
	})

	it('keeps the check on a page reached through the API prefix (/api/v1/%2e%2e/...)', async () => {
		const client = foyer.client('acme')
		await client.post('/login', credentials)
		// node:http sends the path as written (fetch would resolve the dot segments first).
		const cookie = [...client.cookies()].map(([name, value]) => `${name}=${value}`).join('; ')
		const headers = { host: `acme.localhost:${foyer.port}`, cookie, origin: 'http://evil.localhost', 'content-type': 'application/x-www-form-urlencoded' }
		const sneaky = await requestWithHost(foyer.port, '/api/v1/%2e%2e/%2e%2e/logout', headers, { method: 'POST', body: '' })
		expect(sneaky.status).toBe(403)
		expect((await client.request('/account')).status).toBe(200)
	})
})

describe('org by host', () => {
	it('answers an unknown host with a 404 that names no org', async () => {
		for (const host of ['nobody.localhost', 'a.b.localhost', 'example.com', '127.0.0.1']) {
			const response = await requestWithHost(foyer.port, '/login', { host: `${host}:${foyer.port}` })
			expect(response.status, host).toBe(404)
			const html = response.text
			expect(html).toContain('No login here')
			expect(html).not.toMatch(/acme|foyer|operator/i)
		}
	})

	it('ignores the port and the case of the Host header', async () => {
		const response = await requestWithHost(foyer.port, '/login', { host: 'ACME.LocalHost:1234' })
		expect(response.status).toBe(200)
		expect(response.text).toContain('Acme')
	})

	it('ignores X-Forwarded-Host unless TRUST_PROXY is set', async () => {
		const response = await requestWithHost(foyer.port, '/login', { host: `nobody.localhost:${foyer.port}`, 'x-forwarded-host': 'acme.localhost' })
		expect(response.status).toBe(404)
		const spoofed = await requestWithHost(foyer.port, '/login', { host: `acme.localhost:${foyer.port}`, 'x-forwarded-host': 'localhost' })
		expect(spoofed.text).toContain('Acme')
		expect(spoofed.text).not.toContain('Foyer')
	})

	it('serves an org created by the CLI while the server runs, at once', async () => {
		const created = await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--color', '#15803d', '--json'])
		expect(created.code, created.stderr).toBe(0)
		const page = await foyer.client('globex').request('/login')
		expect(page.status).toBe(200)
		expect(await page.text()).toContain('Globex')
	})
})

describe('behind a proxy (TRUST_PROXY)', () => {
	it('takes the host, scheme and client IP from the proxy and uses Secure __Host- cookies over HTTPS', async () => {
		const behind = await startFoyer({ databaseUrl: foyer.databaseUrl, env: { ...foyer.secretsEnv(), TRUST_PROXY: 'true', FOYER_PUBLIC_SCHEME: 'https' } })
		try {
			const headers = { host: `127.0.0.1:${behind.port}`, 'x-forwarded-host': 'acme.localhost', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' }
			const page = await fetch(`http://127.0.0.1:${behind.port}/login`, { headers, dispatcher: loopback })
			expect(page.status).toBe(200)
			const discovery = await fetch(`http://127.0.0.1:${behind.port}/.well-known/openid-configuration`, { headers, dispatcher: loopback })
			expect(((await discovery.json()) as { issuer: string }).issuer).toBe('https://acme.localhost')
			const login = await fetch(`http://127.0.0.1:${behind.port}/login`, {
				method: 'POST',
				headers: { ...headers, origin: 'https://acme.localhost', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(credentials),
				redirect: 'manual',
				dispatcher: loopback,
			})
			expect(login.status).toBe(302)
			const cookie = login.headers.getSetCookie()[0]!
			expect(cookie).toMatch(/^__Host-sid=/)
			expect(cookie).toMatch(/; Secure/)
			expect(cookie).not.toMatch(/Domain=/i)
			const [session] = await behind.sql<{ ip: string }>(`SELECT s.ip FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 ORDER BY s."createdAt" DESC LIMIT 1`, [credentials.email])
			expect(session!.ip).toBe('203.0.113.9')
		} finally {
			await behind.stop()
		}
	})
})

describe('headers and limits', () => {
	it('sends a CSP whose nonce is on every inline script and style, and no X-Powered-By', async () => {
		const response = await foyer.client('acme').request('/login')
		const csp = response.headers.get('content-security-policy')!
		const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
		expect(nonce).toBeTruthy()
		expect(csp).toContain("frame-ancestors 'none'")
		expect(csp).not.toContain('unsafe-inline')
		const html = await response.text()
		const inline = [...html.matchAll(/<(script|style)(?![^>]*\bsrc=)([^>]*)>/g)]
		expect(inline.length).toBeGreaterThan(0)
		for (const tag of inline) expect(tag[2]).toContain(`nonce="${nonce}"`)
		expect(response.headers.get('x-powered-by')).toBeNull()
		expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
		const again = await foyer.client('acme').request('/login')
		expect(again.headers.get('content-security-policy')).not.toBe(csp)
	})

	it('refuses a body over the limit with 413 before reading it', async () => {
		const response = await foyer.client('acme').request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=${'a'.repeat(300 * 1024)}` })
		expect(response.status).toBe(413)
	})

	it('never shows the word Foyer on an org page; the operator org may', async () => {
		for (const path of ['/login', '/signup', '/nope', '/account']) {
			const response = await foyer.client('acme').request(path)
			const html = await response.text()
			expect(html, path).not.toMatch(/foyer/i)
			expect([...response.headers.values()].join(' '), path).not.toMatch(/foyer/i)
		}
		expect(await (await foyer.client('acme').request('/login')).text()).toContain('Acme')
		expect(await (await foyer.client('operator').request('/login')).text()).toContain('Foyer')
	})

	it('answers an unknown path on an org host with a branded 404', async () => {
		const response = await foyer.client('acme').request('/does-not-exist')
		expect(response.status).toBe(404)
		const html = await response.text()
		expect(html).toMatch(/<p[^>]*>Acme<\/p>/) // the org's name on the page, not only in the title
		expect(html).toContain("couldn&#x27;t find that page")
	})
})

describe('health', () => {
	it('answers /healthz and /readyz on any host', async () => {
		for (const host of ['acme.localhost', 'nobody.example']) {
			const health = await requestWithHost(foyer.port, '/healthz', { host })
			expect(health.status).toBe(200)
			const ready = await requestWithHost(foyer.port, '/readyz', { host })
			expect(ready.status).toBe(200)
			expect(JSON.parse(ready.text)).toEqual({ status: 'ready' })
		}
	})

	it('reports not ready while a committed migration is not applied', async () => {
		const [latest] = await foyer.sql<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1')
		await foyer.sql('UPDATE _prisma_migrations SET migration_name = migration_name || \'_moved\' WHERE migration_name = $1', [latest!.migration_name])
		try {
			const ready = await fetch(`http://127.0.0.1:${foyer.port}/readyz`, { dispatcher: loopback })
			expect(ready.status).toBe(503)
			expect(await ready.json()).toMatchObject({ pending: [latest!.migration_name] })
		} finally {
			await foyer.sql('UPDATE _prisma_migrations SET migration_name = $1 WHERE migration_name = $2', [latest!.migration_name, `${latest!.migration_name}_moved`])
		}
	})
})
