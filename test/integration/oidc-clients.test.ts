import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { requestWithHost } from '../setup/http'
import { authorizationRequest, oidc, registerApp, relyingParty, signInThroughApp, walk, type RegisteredApp } from '../setup/oidc'

const ada = { email: 'ada@example.com', password: PASSWORD }
const CALLBACK = 'https://app.example/cb'
const foyer = foyerPerFile()
let web: RegisteredApp
let thirdParty: RegisteredApp
let m2m: RegisteredApp
let operatorWeb: RegisteredApp

beforeAll(async () => {
	web = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', CALLBACK, '--redirect-uri', 'http://localhost:8080/cb?tenant=1', '--first-party'])
	thirdParty = await registerApp(foyer, 'acme', ['--name', 'Partner Dashboard', '--type', 'web', '--redirect-uri', CALLBACK])
	m2m = await registerApp(foyer, 'acme', ['--name', 'Nightly Sync', '--type', 'm2m'])
	operatorWeb = await registerApp(foyer, 'operator', ['--name', 'Ops', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	await signUpVerified(foyer, 'acme', ada.email)
	await signUpVerified(foyer, 'operator', ada.email)
})

describe('client credentials', () => {
	it('gives an m2m app an access token, and refuses a wrong secret', async () => {
		expect(m2m.clientSecret).toBeTruthy()
		const config = await relyingParty(m2m)
		const tokens = await oidc.clientCredentialsGrant(config)
		expect(tokens.access_token).toBeTruthy()
		expect(tokens.token_type.toLowerCase()).toBe('bearer')
		const introspection = await oidc.tokenIntrospection(config, tokens.access_token)
		expect(introspection).toMatchObject({ active: true, client_id: m2m.clientId })

		const wrong = await relyingParty({ ...m2m, clientSecret: 'not-the-secret' })
		// A failed Basic authentication is a 401 challenge carrying invalid_client (RFC 6749 5.2).
		await expect(oidc.clientCredentialsGrant(wrong)).rejects.toMatchObject({ status: 401, cause: [{ scheme: 'basic', parameters: { error: 'invalid_client' } }] })
	})

	it('stops honouring an app the moment it is deleted, even from another process', async () => {
		const doomed = await registerApp(foyer, 'acme', ['--name', 'Doomed Sync', '--type', 'm2m'])
		const config = await relyingParty(doomed)
		expect((await oidc.clientCredentialsGrant(config)).access_token).toBeTruthy() // now cached by the server
		const deleted = await foyer.cli(['apps', 'delete', '--org', 'acme', '--client-id', doomed.clientId, '--json'])
		expect(deleted.code, deleted.stderr).toBe(0)
		await expect(oidc.clientCredentialsGrant(config)).rejects.toMatchObject({ status: 401 })
	})

	it('refuses client credentials to an interactive app and the code flow to an m2m app', async () => {
		await expect(oidc.clientCredentialsGrant(await relyingParty(web))).rejects.toMatchObject({ error: 'unauthorized_client' })
		const config = await relyingParty(m2m)
		const request = await authorizationRequest(config, { redirect_uri: CALLBACK })
		const response = await foyer.client('acme').request(request.url.href)
		expect(response.status).toBe(400)
		expect(response.headers.get('location')).toBeNull()
	})

	it('refuses the password and implicit grants', async () => {
		const config = await relyingParty(web)
		const token = await requestWithHost(
			foyer.port,
			'/oidc/token',
			{ host: `acme.localhost:${foyer.port}`, authorization: `Basic ${Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
			{ method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: ada.email, password: PASSWORD }).toString() },
		)
		expect(token.status).toBe(400)
		expect((JSON.parse(token.text) as { error: string }).error).toBe('unsupported_grant_type')
		const implicit = await authorizationRequest(config, { redirect_uri: CALLBACK, response_type: 'id_token token', nonce: 'n' })
		const response = await foyer.client('acme').request(implicit.url.href)
		const location = new URL(response.headers.get('location')!)
		expect(location.searchParams.get('error') ?? new URLSearchParams(location.hash.slice(1)).get('error')).toBe('unsupported_response_type')
	})
})

describe('org isolation', () => {
	it('refuses an acme token at another org, and an acme client id at another org', async () => {
		const config = await relyingParty(web)
		const { tokens } = await signInThroughApp(config, foyer.client('acme'), { redirectUri: CALLBACK, credentials: ada })
		const operator = await relyingParty(operatorWeb)
		await expect(oidc.fetchUserInfo(operator, tokens.access_token, tokens.claims()!.sub)).rejects.toThrow()
		expect((await oidc.tokenIntrospection(operator, tokens.access_token)).active).toBe(false)
		// The acme client id does not exist on the operator host.
		const foreign = new URL(`http://localhost:${foyer.port}/oidc/auth`)
		foreign.search = new URLSearchParams({ client_id: web.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' }).toString()
		const response = await foyer.client('operator').request(foreign.href)
		expect(response.status).toBe(400)
		expect(await response.text()).toContain('invalid_client')
	})
})

describe('redirect URIs', () => {
	const variants = [
		'https://app.example/cb/',
		'https://app.example/cb?x=1',
		'https://app.example:8443/cb',
		'https://app.example/cb#frag',
		'https://user@app.example/cb',
		'https://app.example/x/../cb',
		'https://APP.example/cb',
		'http://app.example/cb',
		'https://app.example.evil.com/cb',
		'http://127.0.0.1:8080/cb?tenant=1',
		'http://localhost:8081/cb?tenant=1',
		'http://localhost:8080/cb?tenant=1&x=2',
		'http://localhost:8080/cb',
	]
	it.each(variants)('never follows %s', async (redirectUri) => {
		const config = await relyingParty(web)
		const request = await authorizationRequest(config, { redirect_uri: redirectUri })
		const response = await foyer.client('acme').request(request.url.href)
		expect(response.status).toBe(400)
		expect(response.headers.get('location')).toBeNull()
		const html = await response.text()
		expect(html).toContain('redirect_uri')
		expect(html).toContain('Acme') // the branded error page
	})

	it('follows a registered one exactly, query included', async () => {
		const registered = 'http://localhost:8080/cb?tenant=1'
		const config = await relyingParty(web)
		const request = await authorizationRequest(config, { redirect_uri: registered })
		const journey = await walk(foyer.client('acme'), request.url, { redirectUri: registered, credentials: ada })
		expect(journey.callback?.searchParams.get('tenant')).toBe('1')
		// openid-client strips the callback's query when it derives redirect_uri, so redeem by hand.
		const body = new URLSearchParams({ grant_type: 'authorization_code', code: journey.callback!.searchParams.get('code')!, redirect_uri: registered, code_verifier: request.verifier })
		const auth = `Basic ${Buffer.from(`${web.clientId}:${web.clientSecret}`).toString('base64')}`
		const token = await requestWithHost(foyer.port, '/oidc/token', { host: `acme.localhost:${foyer.port}`, authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, { method: 'POST', body: body.toString() })
		expect(token.status, token.text).toBe(200)
		expect(JSON.parse(token.text)).toHaveProperty('access_token')
	})

	it('refuses registering redirect URIs Foyer would not follow safely', async () => {
		for (const uri of ['http://app.example/cb', 'https://app.example/cb#x', 'https://*.example/cb', 'javascript:alert(1)', 'not a url', 'https://u:p@app.example/cb']) {
			const result = await foyer.cli(['apps', 'create', '--org', 'acme', '--name', 'Bad', '--type', 'web', '--redirect-uri', uri, '--json'])
			expect(result.code, uri).toBe(1)
			expect(result.stderr.length).toBeGreaterThan(0)
		}
		expect(await foyer.sql(`SELECT 1 FROM "Application" WHERE name = 'Bad'`)).toHaveLength(0)
	})
})

describe('consent for third-party apps', () => {
	it('asks once, shows the app and scopes, remembers the grant', async () => {
		const config = await relyingParty(thirdParty)
		const browser = foyer.client('acme')
		const request = await authorizationRequest(config, { redirect_uri: CALLBACK })
		const journey = await walk(browser, request.url, { redirectUri: CALLBACK, credentials: ada, consent: 'stop' })
		expect(journey.consentHtml).toContain('Partner Dashboard')
		expect(journey.consentHtml).toContain('See your email address')
		expect(journey.consentHtml).toContain('Allow')
		expect(journey.consentHtml).toContain('Deny')

		const allowed = await signInThroughApp(config, browser, { redirectUri: CALLBACK, consent: 'allow' })
		expect(allowed.tokens.claims()!.email).toBe(ada.email)
		// Remembered: the next sign-in goes straight back to the app.
		const again = await walk(browser, (await authorizationRequest(config, { redirect_uri: CALLBACK })).url, { redirectUri: CALLBACK })
		expect(again.callback).toBeDefined()
		expect(again.consentHtml).toBeUndefined()
		expect(await foyer.sql(`SELECT 1 FROM "AuditEvent" WHERE type = 'oidc.consent_granted' AND data->>'clientId' = $1`, [thirdParty.clientId])).not.toHaveLength(0)
	})

	it('lists an allowed app on the account page and revokes its grant and tokens there', async () => {
		const config = await relyingParty(thirdParty)
		const browser = await signUpVerified(foyer, 'acme', 'carol@example.com')
		const { tokens } = await signInThroughApp(config, browser, { redirectUri: CALLBACK, consent: 'allow' })
		const account = await (await browser.request('/account')).text()
		expect(account).toContain('Connected apps')
		expect(account).toContain('Partner Dashboard')
		expect(account).not.toContain('Acme Web') // carol never signed in to it
		const grantId = /name="grantId" value="([^"]+)"/.exec(account)![1]!

		// Another user cannot revoke it.
		const mallory = await signUpVerified(foyer, 'acme', 'mallory@example.com')
		expect((await mallory.post('/account', { intent: 'revoke-app', grantId })).status).toBe(404)

		expect((await browser.post('/account', { intent: 'revoke-app', grantId })).status).toBe(200)
		expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
		const again = await walk(browser, (await authorizationRequest(config, { redirect_uri: CALLBACK })).url, { redirectUri: CALLBACK, consent: 'stop' })
		expect(again.consentHtml).toContain('Partner Dashboard')
		expect(await foyer.sql(`SELECT 1 FROM "AuditEvent" WHERE type = 'oidc.consent_revoked' AND "targetId" = $1`, [grantId])).toHaveLength(1)
	})

	it('returns access_denied to the app when the user denies', async () => {
		const config = await relyingParty(thirdParty)
		const browser = await signUpVerified(foyer, 'acme', 'bob@example.com')
		const request = await authorizationRequest(config, { redirect_uri: CALLBACK })
		const journey = await walk(browser, request.url, { redirectUri: CALLBACK, consent: 'deny' })
		expect(journey.callback?.searchParams.get('error')).toBe('access_denied')
	})

	it('never shows consent to a first-party app, even with prompt=consent', async () => {
		const config = await relyingParty(web)
		const { journey, tokens } = await signInThroughApp(config, foyer.client('acme'), { redirectUri: CALLBACK, credentials: ada, params: { prompt: 'consent', scope: 'openid offline_access' } })
		expect(journey.consentHtml).toBeUndefined()
		expect(tokens.refresh_token).toBeTruthy()
	})
})
