import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { oidc, registerApp, relyingParty, signInThroughApp, walk, authorizationRequest, type RegisteredApp } from '../setup/oidc'

const foyer = foyerPerFile()
let web: RegisteredApp
let spa: RegisteredApp
const WEB_CALLBACK = 'https://app.example/callback'
const SPA_CALLBACK = 'http://localhost:5173/callback'

beforeAll(async () => {
	web = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', WEB_CALLBACK, '--first-party'])
	spa = await registerApp(foyer, 'operator', ['--name', 'Ops SPA', '--type', 'spa', '--redirect-uri', SPA_CALLBACK, '--first-party'])
	await signUpVerified(foyer, 'acme', 'ada@example.com')
	await signUpVerified(foyer, 'operator', 'ada@example.com')
})

const ada = { email: 'ada@example.com', password: PASSWORD }

describe('authorization code + PKCE', () => {
	it('signs a user into a confidential web app, with scoped claims in the ID token and userinfo', async () => {
		const config = await relyingParty(web)
		const { tokens, journey } = await signInThroughApp(config, foyer.client('acme'), { redirectUri: WEB_CALLBACK, credentials: ada })
		expect(journey.visited.some((path) => path.startsWith('/login'))).toBe(true)
		const claims = tokens.claims()!
		expect(claims.iss).toBe(`http://acme.localhost:${foyer.port}`)
		expect(claims.aud).toBe(web.clientId)
		// Sign-up verified the address by the emailed code.
		expect(claims).toMatchObject({ email: 'ada@example.com', email_verified: true })
		expect(claims.sub).toMatch(/^c/)
		const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
		expect(userinfo).toMatchObject({ sub: claims.sub, email: 'ada@example.com' })
		expect(tokens.refresh_token).toBeUndefined() // no offline_access asked
	})

	it('signs a user into a public SPA on another org, with only the scopes it asked for', async () => {
		const config = await relyingParty(spa)
		const { tokens } = await signInThroughApp(config, foyer.client('operator'), { redirectUri: SPA_CALLBACK, credentials: ada, params: { scope: 'openid' } })
		const claims = tokens.claims()!
		expect(claims.iss).toBe(`http://localhost:${foyer.port}`)
		expect(claims.email).toBeUndefined()
		// The same person is another user in another org.
		const acme = await signInThroughApp(await relyingParty(web), foyer.client('acme'), { redirectUri: WEB_CALLBACK, credentials: ada })
		expect(acme.tokens.claims()!.sub).not.toBe(claims.sub)
	})

	it('does not ask a signed-in user again, but does when the app sends prompt=login', async () => {
		const config = await relyingParty(web)
		const browser = foyer.client('acme')
		await browser.post('/login', ada)
		const silent = await signInThroughApp(config, browser, { redirectUri: WEB_CALLBACK })
		expect(silent.journey.visited.some((path) => path.startsWith('/login'))).toBe(false)
		const forced = await authorizationRequest(config, { redirect_uri: WEB_CALLBACK, prompt: 'login' })
		const journey = await walk(browser, forced.url, { redirectUri: WEB_CALLBACK })
		expect(journey.callback).toBeUndefined()
		expect(journey.visited.at(-1)).toMatch(/^\/login\?.*reauth=1/)
		const again = await walk(browser, forced.url, { redirectUri: WEB_CALLBACK, credentials: ada })
		expect(again.callback).toBeDefined()
	})

	it('asks for a fresh sign-in when the session is older than max_age, not when it is younger', async () => {
		const config = await relyingParty(web)
		const browser = foyer.client('acme')
		await browser.post('/login', ada)
		const young = await walk(browser, (await authorizationRequest(config, { redirect_uri: WEB_CALLBACK, max_age: '600' })).url, { redirectUri: WEB_CALLBACK })
		expect(young.callback, young.visited.join(' -> ')).toBeDefined()
		await new Promise((resolve) => setTimeout(resolve, 2100))
		const old = await authorizationRequest(config, { redirect_uri: WEB_CALLBACK, max_age: '1' })
		const journey = await walk(browser, old.url, { redirectUri: WEB_CALLBACK })
		expect(journey.callback).toBeUndefined()
		expect(journey.visited.at(-1)).toMatch(/^\/login\?.*reauth=1/)
		const again = await walk(browser, old.url, { redirectUri: WEB_CALLBACK, credentials: ada })
		const tokens = await oidc.authorizationCodeGrant(config, again.callback!, { pkceCodeVerifier: old.verifier, expectedState: old.state, maxAge: 1 })
		expect(Math.floor(Date.now() / 1000) - (tokens.claims()!.auth_time as number)).toBeLessThanOrEqual(2)
	})

	it('asks again after the user signs out of the hosted login', async () => {
		const config = await relyingParty(web)
		const browser = foyer.client('acme')
		await signInThroughApp(config, browser, { redirectUri: WEB_CALLBACK, credentials: ada })
		await browser.post('/logout', {})
		const request = await authorizationRequest(config, { redirect_uri: WEB_CALLBACK })
		const journey = await walk(browser, request.url, { redirectUri: WEB_CALLBACK })
		expect(journey.callback).toBeUndefined()
		expect(journey.visited.at(-1)).toMatch(/^\/login/)
	})

	it('refuses an authorization request without PKCE or with the plain method', async () => {
		const config = await relyingParty(web)
		const browser = foyer.client('acme')
		const base = { client_id: web.clientId, response_type: 'code', redirect_uri: WEB_CALLBACK, scope: 'openid', state: 's' }
		for (const extra of [{}, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, { code_challenge: 'a'.repeat(43) + '=' , code_challenge_method: 'S256' }]) {
			const url = new URL(config.serverMetadata().authorization_endpoint!)
			for (const [key, value] of Object.entries({ ...base, ...extra })) url.searchParams.set(key, value)
			const response = await browser.request(url.href)
			const location = new URL(response.headers.get('location')!)
			expect(`${location.origin}${location.pathname}`).toBe(WEB_CALLBACK)
			expect(location.searchParams.get('error'), JSON.stringify(extra)).toBe('invalid_request')
		}
	})
})

describe('codes and refresh tokens', () => {
	async function freshCode(params: Record<string, string> = {}) {
		const config = await relyingParty(web)
		const browser = foyer.client('acme')
		const request = await authorizationRequest(config, { redirect_uri: WEB_CALLBACK, ...params })
		const journey = await walk(browser, request.url, { redirectUri: WEB_CALLBACK, credentials: ada })
		return { config, request, callback: journey.callback! }
	}

	it('refuses a code redeemed twice, and revokes what the first redemption got', async () => {
		const { config, request, callback } = await freshCode()
		const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })
		await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })).rejects.toMatchObject({ error: 'invalid_grant' })
		const introspection = await oidc.tokenIntrospection(config, tokens.access_token)
		expect(introspection.active).toBe(false)
	})

	it('refuses a code with the wrong verifier', async () => {
		const { config, request, callback } = await freshCode()
		await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: request.state })).rejects.toMatchObject({ error: 'invalid_grant' })
	})

	it('redeems one code exactly once under concurrent requests', async () => {
		const { config, request, callback } = await freshCode()
		const attempts = await Promise.allSettled(Array.from({ length: 6 }, () => oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })))
		const won = attempts.filter((attempt) => attempt.status === 'fulfilled')
		expect(won).toHaveLength(1)
		for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toMatchObject({ error: 'invalid_grant' })
	})

	it('rotates the refresh token on every use, and revokes the whole grant when an old one comes back', async () => {
		const { config, request, callback } = await freshCode({ scope: 'openid email offline_access', prompt: 'consent' })
		const first = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })
		expect(first.refresh_token).toBeTruthy()
		const second = await oidc.refreshTokenGrant(config, first.refresh_token!)
		expect(second.refresh_token).toBeTruthy()
		expect(second.refresh_token).not.toBe(first.refresh_token)
		expect(second.claims()?.email).toBe('ada@example.com')
		const third = await oidc.refreshTokenGrant(config, second.refresh_token!)

		await expect(oidc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' })
		// Reuse revoked the grant: the newest refresh token and access token are dead too.
		await expect(oidc.refreshTokenGrant(config, third.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' })
		expect((await oidc.tokenIntrospection(config, third.access_token)).active).toBe(false)
		const events = await foyer.sql(`SELECT 1 FROM "AuditEvent" WHERE type = 'oidc.token_reuse_detected'`)
		expect(events.length).toBeGreaterThan(0)
	})

	it('redeems one refresh token exactly once under concurrent requests', async () => {
		const { config, request, callback } = await freshCode({ scope: 'openid offline_access', prompt: 'consent' })
		const first = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })
		const attempts = await Promise.allSettled(Array.from({ length: 4 }, () => oidc.refreshTokenGrant(config, first.refresh_token!)))
		expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1)
	})
})
