import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Foyer } from '../setup/foyer'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { oidc, registerApp, relyingParty, signInThroughApp, type RegisteredApp } from '../setup/oidc'

const ada = { email: 'ada@example.com', password: PASSWORD }
const CALLBACK = 'https://app.example/cb'
const AFTER_LOGOUT = 'https://app.example/signed-out'
const foyer = foyerPerFile()
let web: RegisteredApp

beforeAll(async () => {
	web = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', CALLBACK, '--post-logout-redirect-uri', AFTER_LOGOUT, '--first-party'])
	await signUpVerified(foyer, 'acme', ada.email)
})

/** Loads the logout confirmation page and submits it with "Sign out", as a browser would. */
async function confirmLogout(browser: ReturnType<Foyer['client']>, url: URL) {
	const page = await browser.request(url.href)
	expect(page.status).toBe(200)
	const html = await page.text()
	expect(html).toContain('Sign out of Acme?')
	const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!
	const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!
	return browser.post(new URL(action, url).href, { xsrf, logout: 'yes' }, { origin: url.origin })
}

describe('RP-initiated logout', () => {
	it('ends the Foyer session too and returns to a registered post-logout URI', async () => {
		const browser = foyer.client('acme')
		const config = await relyingParty(web)
		const { tokens } = await signInThroughApp(config, browser, { redirectUri: CALLBACK, credentials: ada })
		expect((await browser.request('/account')).status).toBe(200)

		const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER_LOGOUT, state: 'bye' })
		const done = await confirmLogout(browser, url)
		const location = new URL(done.headers.get('location')!)
		expect(`${location.origin}${location.pathname}`).toBe(AFTER_LOGOUT)
		expect(location.searchParams.get('state')).toBe('bye')
		expect((await browser.request('/account')).status).toBe(302)
		expect(await foyer.sql(`SELECT 1 FROM "AuditEvent" WHERE type = 'user.signed_out' AND data->>'via' = 'oidc_logout'`)).toHaveLength(1)
	})

	it('never redirects to an unregistered post-logout URI', async () => {
		const browser = foyer.client('acme')
		const config = await relyingParty(web)
		const { tokens } = await signInThroughApp(config, browser, { redirectUri: CALLBACK, credentials: ada })
		for (const target of ['https://evil.example/', `${AFTER_LOGOUT}/`, `${AFTER_LOGOUT}?x=1`, CALLBACK]) {
			const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: target })
			const response = await browser.request(url.href)
			expect(response.status, target).toBe(400)
			expect(response.headers.get('location'), target).toBeNull()
			expect(await response.text()).toContain('post_logout_redirect_uri')
		}
		// The session survived the refused attempts.
		expect((await browser.request('/account')).status).toBe(200)
	})

	it('stays on the org page when the app names no post-logout URI', async () => {
		const browser = foyer.client('acme')
		const config = await relyingParty(web)
		await signInThroughApp(config, browser, { redirectUri: CALLBACK, credentials: ada })
		const done = await confirmLogout(browser, oidc.buildEndSessionUrl(config, {}))
		const location = new URL(done.headers.get('location')!, `http://acme.localhost:${foyer.port}`)
		expect(location.origin).toBe(`http://acme.localhost:${foyer.port}`)
		const page = await browser.request(location.href)
		expect(await page.text()).toContain('signed out')
		expect((await browser.request('/account')).status).toBe(302)
	})
})

describe('signing key rotation', () => {
	it('publishes the new key at once and keeps tokens signed by the old one verifiable', async () => {
		const config = await relyingParty(web)
		const before = await signInThroughApp(config, foyer.client('acme'), { redirectUri: CALLBACK, credentials: ada })
		const oldKid = JSON.parse(Buffer.from(before.tokens.id_token!.split('.')[0]!, 'base64url').toString()).kid as string

		const rotated = await foyer.cli(['keys', 'rotate', '--org', 'acme', '--json'])
		expect(rotated.code, rotated.stderr).toBe(0)
		const newKid = rotated.json!.kid as string
		expect(newKid).not.toBe(oldKid)

		const jwks = (await (await foyer.client('acme').request('/oidc/jwks')).json()) as JSONWebKeySet & { keys: { kid: string }[] }
		expect(jwks.keys.map((key) => key.kid)).toEqual([newKid, oldKid])

		const after = await signInThroughApp(config, foyer.client('acme'), { redirectUri: CALLBACK, credentials: ada })
		expect(JSON.parse(Buffer.from(after.tokens.id_token!.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid)

		// A relying party verifying against the published JWKS accepts both tokens.
		const keySet = createLocalJWKSet(jwks)
		for (const token of [before.tokens.id_token!, after.tokens.id_token!]) {
			const { payload } = await jwtVerify(token, keySet, { issuer: `http://acme.localhost:${foyer.port}`, audience: web.clientId })
			expect(payload.email).toBe(ada.email)
		}
		expect(await foyer.sql(`SELECT status FROM "SigningKey" WHERE id = $1`, [oldKid])).toEqual([{ status: 'retiring' }])
	})
})
