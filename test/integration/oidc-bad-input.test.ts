import { beforeAll, describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'
import { requestWithHost } from '../setup/http'
import { registerApp, type RegisteredApp } from '../setup/oidc'

/**
 * Malformed OAuth requests: each gets the error RFC 6749 / OIDC names, as JSON from the token-side
 * endpoints and as a branded page (or an error redirect to a registered URI) from the
 * authorization endpoint. Never a 500.
 */
const foyer = foyerPerFile()
const CALLBACK = 'https://app.example/cb'
let web: RegisteredApp
let basic: string

beforeAll(async () => {
	web = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	basic = `Basic ${Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64')}`
})

const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_token']

async function post(path: string, body: string, headers: Record<string, string> = {}) {
	const response = await requestWithHost(foyer.port, path, { host: `acme.localhost:${foyer.port}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...headers }, { method: 'POST', body })
	return { ...response, json: (() => { try { return JSON.parse(response.text) as { error?: string } } catch { return {} } })() }
}

describe('token endpoint', () => {
	const cases: [string, string, Record<string, string>?][] = [
		['empty body', ''],
		['garbage', '%%%&&&=='],
		['no grant_type', 'code=abc'],
		['unknown grant_type', 'grant_type=magic'],
		['password grant', 'grant_type=password&username=a&password=b'],
		['implicit-like', 'grant_type=implicit'],
		['code missing', 'grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=' + 'a'.repeat(43)],
		['unknown code', 'grant_type=authorization_code&code=nope&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=' + 'a'.repeat(43)],
		['verifier missing', 'grant_type=authorization_code&code=nope&redirect_uri=https%3A%2F%2Fapp.example%2Fcb'],
		['unknown refresh token', 'grant_type=refresh_token&refresh_token=nope'],
		['duplicate parameters', 'grant_type=refresh_token&grant_type=authorization_code&refresh_token=x'],
		['NUL bytes', 'grant_type=refresh_token&refresh_token=%00%00'],
		['invalid UTF-8', 'grant_type=refresh_token&refresh_token=%ff%fe'],
		['100 KB token', 'grant_type=refresh_token&refresh_token=' + 'x'.repeat(100_000)],
		['JSON body', '{"grant_type":"client_credentials"}', { 'content-type': 'application/json' }],
	]
	it.each(cases)('%s → a named OAuth error, never a 500', async (_label, body, headers) => {
		const response = await post('/oidc/token', body, { authorization: basic, ...headers })
		expect(response.status).toBeGreaterThanOrEqual(400)
		expect(response.status).toBeLessThan(500)
		expect(OAUTH_ERRORS).toContain(response.json.error)
	})

	it.each([
		['no credentials', {}],
		['wrong secret', { authorization: `Basic ${Buffer.from(`${web?.clientId}:nope`).toString('base64')}` }],
		['malformed Basic', { authorization: 'Basic !!!not-base64' }],
		['Bearer instead of Basic', { authorization: 'Bearer abc' }],
		['unknown client', { authorization: `Basic ${Buffer.from('nobody:secret').toString('base64')}` }],
	] as const)('%s → invalid_client', async (_label, headers) => {
		const response = await post('/oidc/token', 'grant_type=refresh_token&refresh_token=x', { ...headers })
		expect(response.status).toBe(401)
		expect(response.json.error).toBe('invalid_client')
		expect(response.headers['www-authenticate']).toMatch(/^Basic /)
	})
})

describe('other token-side endpoints', () => {
	it('answers userinfo with a garbage or missing token with invalid_token / invalid_request', async () => {
		for (const authorization of ['Bearer garbage', 'Bearer ', 'Basic abc', '']) {
			const response = await requestWithHost(foyer.port, '/oidc/me', { host: `acme.localhost:${foyer.port}`, ...(authorization ? { authorization } : {}) })
			expect(response.status, authorization).toBeGreaterThanOrEqual(400)
			expect(response.status, authorization).toBeLessThan(500)
			expect(['invalid_token', 'invalid_request']).toContain(JSON.parse(response.text).error)
		}
	})

	it('refuses introspection and revocation without client authentication', async () => {
		for (const path of ['/oidc/token/introspection', '/oidc/token/revocation']) {
			const response = await post(path, 'token=abc')
			expect(response.status, path).toBeGreaterThanOrEqual(400)
			expect(response.status, path).toBeLessThan(500)
			expect(response.json.error, path).toBe('invalid_client')
		}
	})
})

describe('authorization endpoint', () => {
	it('leaves a request line over Node\'s 16 KB header limit to Node: 431, not a 500', async () => {
		const response = await requestWithHost(foyer.port, `/oidc/auth?state=${'s'.repeat(50_000)}`, { host: `acme.localhost:${foyer.port}` })
		expect(response.status).toBe(431)
	})

	it('ignores an unknown scope rather than failing (RFC 6749 3.3 lets the server narrow scope)', async () => {
		const query = new URLSearchParams({ ...good(), scope: 'openid admin' }).toString()
		const response = await requestWithHost(foyer.port, `/oidc/auth?${query}`, { host: `acme.localhost:${foyer.port}` })
		expect(response.status).toBe(303)
		expect(String(response.headers.location)).toMatch(/^\/interaction\//)
	})

	const good = () => ({ client_id: web.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })
	const cases: [string, (params: Record<string, string>) => Record<string, string>][] = [
		['no client_id', ({ client_id: _c, ...rest }) => rest],
		['unknown client_id', (params) => ({ ...params, client_id: 'nobody' })],
		['8 KB client_id', (params) => ({ ...params, client_id: 'x'.repeat(8_000) })],
		['NUL in redirect_uri', (params) => ({ ...params, redirect_uri: `${CALLBACK}\u0000` })],
		['no redirect_uri', ({ redirect_uri: _r, ...rest }) => rest],
		['unsupported response_type', (params) => ({ ...params, response_type: 'token' })],
		['no response_type', ({ response_type: _t, ...rest }) => rest],
		['8 KB state', (params) => ({ ...params, state: 's'.repeat(8_000) })],
		['bad prompt', (params) => ({ ...params, prompt: 'none login' })],
		['bad max_age', (params) => ({ ...params, max_age: '-5' })],
	]
	it.each(cases)('%s → an error page or an error redirect, never a 500', async (_label, mutate) => {
		const query = new URLSearchParams(mutate(good())).toString()
		const response = await requestWithHost(foyer.port, `/oidc/auth?${query}`, { host: `acme.localhost:${foyer.port}` })
		expect(response.status).toBeLessThan(500)
		if ((response.status === 303 || response.status === 302) && String(response.headers.location).startsWith('/interaction/')) {
			// Odd but valid (a long state): accepted and sent on to sign in.
			expect(_label).toMatch(/state/)
		} else if (response.status === 303 || response.status === 302) {
			const location = new URL(String(response.headers.location))
			// Only ever to the registered URI, carrying a named error (in the fragment for token responses).
			expect(`${location.origin}${location.pathname}`).toBe(CALLBACK)
			expect(location.searchParams.get('error') ?? new URLSearchParams(location.hash.slice(1)).get('error')).toMatch(/^(invalid_request|invalid_scope|unsupported_response_type|login_required|consent_required|interaction_required|invalid_request_object)$/)
		} else {
			expect(response.status).toBeGreaterThanOrEqual(400)
			expect(response.text).toContain('Acme')
			expect(response.text).toMatch(/invalid_request|invalid_client|invalid_redirect_uri|unsupported_response_type|invalid_scope/)
		}
	})
})
