import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { oidc, registerApp, relyingParty, authorizationRequest, walk, type RegisteredApp } from '../setup/oidc'
import { enrolTotp, nextTotpCode } from '../setup/totp'

const foyer = foyerPerFile()
const CALLBACK = 'https://app.example/callback'
let app: RegisteredApp
let counter = 0
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`

beforeAll(async () => {
	app = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
})

async function setPolicy(value: string) {
	const result = await foyer.cli(['orgs', 'set', '--org', 'acme', `mfaPolicy=${value}`])
	expect(result.code, result.stderr).toBe(0)
	// Running servers hear of it over pg NOTIFY; wait until the pages follow.
	await new Promise((resolve) => setTimeout(resolve, 300))
}

/** An app sign-in that may stop at the second-factor page; `code` answers it. */
async function appSignIn(browser: Client, email: string, params: Record<string, string>, code?: () => Promise<string>) {
	const config = await relyingParty(app)
	const request = await authorizationRequest(config, { redirect_uri: CALLBACK, ...params })
	let journey = await walk(browser, request.url, { redirectUri: CALLBACK, credentials: { email, password: PASSWORD } })
	const stop = journey.visited.at(-1) ?? ''
	if (!journey.callback && stop.startsWith('/login/mfa') && code) {
		const answered = await browser.post('/login/mfa', { method: 'totp', code: await code() })
		expect(answered.status).toBe(302)
		journey = await walk(browser, new URL(answered.headers.get('location')!, browser.origin), { redirectUri: CALLBACK })
	}
	if (!journey.callback) return { stoppedAt: journey.visited.at(-1), claims: null }
	const tokens = await oidc.authorizationCodeGrant(config, journey.callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })
	return { stoppedAt: null, claims: tokens.claims()! }
}

describe('apps see how the user signed in (acr, amr) and can ask for a second factor', () => {
	it('a password sign-in is aal1 with amr pwd', async () => {
		const email = uniqueEmail('rp-pwd')
		await signUpVerified(foyer, 'acme', email)
		const { claims } = await appSignIn(foyer.client('acme'), email, {})
		expect(claims).toMatchObject({ acr: 'aal1', amr: ['pwd'] })
	})

	it('a sign-in with an authenticator app is aal2 with pwd, otp and mfa', async () => {
		const email = uniqueEmail('rp-totp')
		const { secret } = await enrolTotp(foyer, await signUpVerified(foyer, 'acme', email), email)
		const { claims } = await appSignIn(foyer.client('acme'), email, {}, () => nextTotpCode(foyer, email, secret))
		expect(claims!.acr).toBe('aal2')
		expect(claims!.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']))
	})

	it('acr_values=aal2 makes a signed-in aal1 session pass a second factor first', async () => {
		const email = uniqueEmail('rp-stepup')
		const browser = await signUpVerified(foyer, 'acme', email)
		const { secret } = await enrolTotp(foyer, browser, email)
		// A fresh aal1 session in a new browser: email code sign-in skips nothing, so use the DB to downgrade.
		await foyer.sql(`UPDATE "Session" s SET aal = 'aal1', amr = '{pwd}' FROM "User" u WHERE u.id = s."userId" AND u.email = $1 AND s."revokedAt" IS NULL`, [email])
		const without = await appSignIn(browser, email, {})
		expect(without.claims).toMatchObject({ acr: 'aal1' })
		const config = await relyingParty(app)
		const request = await authorizationRequest(config, { redirect_uri: CALLBACK, acr_values: 'aal2' })
		const journey = await walk(browser, request.url, { redirectUri: CALLBACK })
		expect(journey.callback).toBeUndefined()
		expect(journey.visited.at(-1)).toMatch(/^\/login\/mfa\?redirectTo=%2Finteraction%2F/)
		const answered = await browser.post(journey.visited.at(-1)!, { method: 'totp', code: await nextTotpCode(foyer, email, secret), redirectTo: decodeURIComponent(journey.visited.at(-1)!.split('redirectTo=')[1]!) })
		const back = await walk(browser, new URL(answered.headers.get('location')!, browser.origin), { redirectUri: CALLBACK })
		const tokens = await oidc.authorizationCodeGrant(config, back.callback!, { pkceCodeVerifier: request.verifier, expectedState: request.state })
		expect(tokens.claims()).toMatchObject({ acr: 'aal2' })
	})

	it('acr_values=aal2 sends a user with no factor to set one up, and on to the app after', async () => {
		const email = uniqueEmail('rp-enrol')
		const browser = await signUpVerified(foyer, 'acme', email)
		const result = await appSignIn(browser, email, { acr_values: 'aal2' })
		expect(result.stoppedAt).toMatch(/^\/account\/security\?setup=required&redirectTo=%2Finteraction%2F/)
	})
})

describe('MFA policy', () => {
	it('required: a user without a factor is held on the security page until they set one up', async () => {
		const email = uniqueEmail('required')
		await signUpVerified(foyer, 'acme', email)
		await setPolicy('required')
		try {
			const browser = foyer.client('acme')
			const login = await browser.post('/login', { email, password: PASSWORD })
			expect(login.headers.get('location')).toBe('/account/security?setup=required&redirectTo=%2Faccount')
			for (const path of ['/account', '/account/sessions', '/account/password']) {
				const held = await browser.request(path)
				expect(held.headers.get('location'), path).toBe(`/account/security?${new URLSearchParams({ setup: 'required', redirectTo: path })}`)
			}
			expect(await (await browser.request('/account/security?setup=required&redirectTo=%2Faccount')).text()).toContain('requires two-step verification')
			await enrolTotp(foyer, browser, email)
			expect((await browser.request('/account')).status).toBe(200)
			// Removing the only factor is refused while the policy requires one.
			const removal = await browser.post('/account/security', { intent: 'remove-totp' })
			expect(removal.status).toBe(409)
		} finally {
			await setPolicy('optional')
		}
	})

	it('required-for-admins: owners and admins must set one up, members need not', async () => {
		const member = uniqueEmail('member')
		await signUpVerified(foyer, 'acme', member)
		await setPolicy('required-for-admins')
		try {
			const memberLogin = await foyer.client('acme').post('/login', { email: member, password: PASSWORD })
			expect(memberLogin.headers.get('location')).toBe('/account')
			const owner = foyer.admins.acme!
			const ownerLogin = await foyer.client('acme').post('/login', owner)
			expect(ownerLogin.headers.get('location')).toBe('/account/security?setup=required&redirectTo=%2Faccount')
		} finally {
			await setPolicy('optional')
		}
	})

	it('off: second factors are neither asked for nor offered', async () => {
		const email = uniqueEmail('off')
		const browser = await signUpVerified(foyer, 'acme', email)
		await enrolTotp(foyer, browser, email)
		await setPolicy('off')
		try {
			const login = await foyer.client('acme').post('/login', { email, password: PASSWORD })
			expect(login.headers.get('location')).toBe('/account')
			const page = await (await browser.request('/account/security')).text()
			expect(page).not.toContain('Authenticator app')
			expect((await browser.post('/account/security', { intent: 'start-totp' })).status).toBe(404)
		} finally {
			await setPolicy('optional')
		}
	})

	it('refuses a password minimum under 15 unless MFA is required of everyone', async () => {
		const refused = await foyer.cli(['orgs', 'set', '--org', 'acme', 'passwordMinLength=8'])
		expect(refused.code).toBe(2)
		expect(refused.stderr).toContain('needs mfaPolicy=required')
		const allowed = await foyer.cli(['orgs', 'set', '--org', 'acme', 'passwordMinLength=8', 'mfaPolicy=required'])
		expect(allowed.code, allowed.stderr).toBe(0)
		const reset = await foyer.cli(['orgs', 'set', '--org', 'acme', 'passwordMinLength=', 'mfaPolicy='])
		expect(reset.code, reset.stderr).toBe(0)
	})
})
