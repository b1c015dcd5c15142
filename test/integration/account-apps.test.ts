import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { oidc, registerApp, relyingParty, signInThroughApp, type RegisteredApp } from '../setup/oidc'

/**
 * /account lists the apps that can use the account (first-party ones too) and revokes one with a
 * plain form POST: its grants and every token under them end, audited; a grant id of anyone else
 * ends nothing. The apps are real relying parties (openid-client) against the built server.
 */
const foyer = foyerPerFile()
const CALLBACK = 'https://app.example/callback'
let web: RegisteredApp
let partner: RegisteredApp
let counter = 0
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`

beforeAll(async () => {
	web = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	partner = await registerApp(foyer, 'acme', ['--name', 'Partner Dashboard', '--type', 'web', '--redirect-uri', CALLBACK])
	const globex = await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--json'])
	expect(globex.code, globex.stderr).toBe(0)
})

/** The app signs the browser's user in (offline_access) and holds a refresh and an access token. */
async function signInto(app: RegisteredApp, browser: Client, consent?: 'allow') {
	const config = await relyingParty(app)
	const { tokens } = await signInThroughApp(config, browser, { redirectUri: CALLBACK, consent, params: { scope: 'openid email offline_access', prompt: 'consent' } })
	return { app, sub: tokens.claims()!.sub, refreshToken: tokens.refresh_token!, accessToken: tokens.access_token }
}

type Held = Awaited<ReturnType<typeof signInto>>

async function expectWorking(held: Held) {
	const config = await relyingParty(held.app)
	const refreshed = await oidc.refreshTokenGrant(config, held.refreshToken)
	expect(await oidc.fetchUserInfo(config, held.accessToken, held.sub)).toMatchObject({ sub: held.sub })
	held.refreshToken = refreshed.refresh_token!
}

async function expectEnded(held: Held) {
	const config = await relyingParty(held.app)
	await expect(oidc.refreshTokenGrant(config, held.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' })
	await expect(oidc.fetchUserInfo(config, held.accessToken, held.sub)).rejects.toMatchObject({ status: 401, cause: [{ parameters: { error: 'invalid_token' } }] })
}

/** Each listed app as the page shows it: its name, its row's text and the grant id its Revoke button posts. */
async function listedApps(browser: Client) {
	const response = await browser.request('/account')
	expect(response.status).toBe(200)
	const html = (await response.text()).replaceAll('<!-- -->', '')
	const rows = [...html.matchAll(/<li[^>]*data-testid="connected-app"[^>]*>([\s\S]*?)<\/li>/g)].map((match) => match[1]!)
	return {
		html,
		apps: rows.map((row) => ({
			name: /<span class="font-medium">([^<]+)<\/span>/.exec(row)![1]!,
			grantId: /name="grantId" value="([^"]+)"/.exec(row)![1]!,
			button: /<button[^>]*aria-label="([^"]+)"/.exec(row)![1]!,
			text: row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
		})),
	}
}

const grantRows = async (userId: string) => foyer.sql<{ id: string }>(`SELECT id FROM "OidcPayload" WHERE model = 'Grant' AND payload->>'accountId' = $1`, [userId])

describe('the apps on /account', () => {
	it('lists every app the user signed in to, first-party too, once each, with dates and what it can do', async () => {
		const email = uniqueEmail('list')
		const browser = await signUpVerified(foyer, 'acme', email)
		expect((await listedApps(browser)).html).toContain('No apps have access to your account.')
		await signInto(web, browser)
		await signInto(partner, browser, 'allow')
		// A second browser signing in to the same app gets a grant of its own: still one entry.
		const laptop = foyer.client('acme')
		expect((await laptop.post('/login', { email, password: PASSWORD })).status).toBe(302)
		const second = await signInto(web, laptop)
		expect(await grantRows(second.sub)).toHaveLength(3)

		const { html, apps } = await listedApps(browser)
		expect(html).toMatch(/<h2 id="connected-apps"[^>]*>Connected apps<\/h2>/)
		expect(html).toMatch(/<ul[^>]*aria-labelledby="connected-apps"/)
		expect(apps.map((app) => app.name)).toEqual(['Acme Web', 'Partner Dashboard'])
		expect(apps.map((app) => app.button)).toEqual(['Revoke access for Acme Web', 'Revoke access for Partner Dashboard'])
		for (const app of apps) {
			expect(app.text).toMatch(/Access since \d{4}-\d\d-\d\d \d\d:\d\d UTC · last used \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
			expect(app.text).toContain('Can know who you are, see your email address, stay signed in when you are not using it')
		}
	})

	it('Revoke ends that app’s grants and tokens (every browser’s), not the other app’s; audited; no JavaScript needed', async () => {
		const email = uniqueEmail('revoke')
		const browser = await signUpVerified(foyer, 'acme', email)
		const mine = await signInto(web, browser)
		const partners = await signInto(partner, browser, 'allow')
		const laptop = foyer.client('acme')
		expect((await laptop.post('/login', { email, password: PASSWORD })).status).toBe(302)
		const laptops = await signInto(web, laptop)

		const acmeWeb = (await listedApps(browser)).apps.find((app) => app.name === 'Acme Web')!
		const revoked = await browser.post('/account', { intent: 'revoke-app', grantId: acmeWeb.grantId })
		expect(revoked.status).toBe(200)
		const page = (await revoked.text()).replaceAll('<!-- -->', '')
		expect(page).toContain('Acme Web can no longer use your account.')
		expect((await listedApps(browser)).apps.map((app) => app.name)).toEqual(['Partner Dashboard'])

		await expectEnded(mine)
		await expectEnded(laptops)
		await expectWorking(partners)
		// Still signed in to Foyer: the app can sign in again, with a new grant.
		await expectWorking(await signInto(web, browser))
		const [event] = await foyer.sql<{ actorId: string; data: Record<string, unknown> }>(`SELECT "actorId", data FROM "AuditEvent" WHERE type = 'oidc.consent_revoked' AND "targetId" = $1`, [acmeWeb.grantId])
		expect(event).toMatchObject({ actorId: mine.sub, data: { clientId: web.clientId, grantsRevoked: 2 } })
	})

	it('ends nothing for a grant id of another user or another org, and answers bad input with 400', async () => {
		const email = uniqueEmail('victim')
		const victim = await signUpVerified(foyer, 'acme', email)
		const held = await signInto(web, victim)
		const [grant] = await grantRows(held.sub)
		const mallory = await signUpVerified(foyer, 'acme', uniqueEmail('mallory'))
		const twin = await signUpVerified(foyer, 'globex', email)
		for (const other of [mallory, twin]) {
			const refused = await other.post('/account', { intent: 'revoke-app', grantId: grant!.id })
			expect(refused.status).toBe(404)
		}
		for (const fields of <Record<string, string>[]>[{ intent: 'revoke-app' }, { intent: 'revoke-app', grantId: 'x\u0000y' }, { intent: 'revoke-app', grantId: 'x'.repeat(500) }, { intent: 'wipe', grantId: grant!.id }]) {
			expect((await victim.post('/account', fields)).status, JSON.stringify(fields)).toBe(400)
		}
		await expectWorking(held)
		expect(await grantRows(held.sub)).toHaveLength(1)
		expect(await foyer.sql(`SELECT 1 FROM "AuditEvent" WHERE type = 'oidc.consent_revoked' AND "targetId" = $1`, [grant!.id])).toHaveLength(0)
	})
})
