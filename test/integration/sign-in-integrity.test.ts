import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { Client } from '../setup/http'
import { enrolTotp, nextTotpCode, secretFrom } from '../setup/totp'

/**
 * One browser never mixes two users: a pending sign-in (someone's password typed here, their
 * second factor still to come) is finished only by that user's own second factor, and every
 * session that starts ends whatever the browser held before.
 */
// Behind a (simulated) proxy, so the load tests speak from IPs of their own.
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
let counter = 0
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`

/** A user with an authenticator app, signed out everywhere. */
async function victimWithTotp(slug = 'acme') {
	const email = uniqueEmail('victim')
	const { secret } = await enrolTotp(foyer, await signUpVerified(foyer, slug, email), email)
	await foyer.sql(`UPDATE "Session" SET "revokedAt" = now() WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`, [email])
	return { email, secret }
}

async function liveSessions(email: string) {
	return foyer.sql<{ aal: string; amr: string[] }>(
		`SELECT s.aal, s.amr FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL`,
		[email],
	)
}

const signInEvents = (email: string) =>
	foyer.sql(`SELECT e.id FROM "AuditEvent" e JOIN "User" u ON u.id = e."actorId" WHERE u.email = $1 AND e.type = 'user.signed_in'`, [email])

/** Starts and confirms an authenticator app for whoever `client` is signed in as, from the page's own secret. */
async function enrolOwnTotp(client: Client, email: string) {
	const start = await client.post('/account/security', { intent: 'start-totp' })
	if (start.headers.get('location') !== '/account/security/totp') return { started: false as const, start }
	const secret = secretFrom(await (await client.request('/account/security/totp')).text())
	const confirmed = await client.post('/account/security/totp', { code: await nextTotpCode(foyer, email, secret) })
	return { started: true as const, confirmed }
}

describe('a second factor is never finished by another user', () => {
	it('the reported attack: an attacker who knows the password signs in as themselves, types the victim’s password, enrols their own app, and gets nothing of the victim', async () => {
		const victim = await victimWithTotp()
		const attackerEmail = uniqueEmail('attacker')
		const browser = await signUpVerified(foyer, 'acme', attackerEmail)
		const signInsBefore = (await signInEvents(victim.email)).length

		const typed = await browser.post('/login', { email: victim.email, password: PASSWORD })
		expect(typed.status).toBe(302)
		expect(typed.headers.get('location')).toBe('/login/mfa')
		await enrolOwnTotp(browser, attackerEmail)

		const account = await browser.request('/account')
		const page = account.status === 200 ? await account.text() : ''
		expect(page).not.toContain(victim.email)
		expect(await liveSessions(victim.email)).toEqual([])
		expect(await signInEvents(victim.email)).toHaveLength(signInsBefore)
	})

	it('typing another user’s password ends the session the browser had, before any second factor', async () => {
		const victim = await victimWithTotp()
		const otherEmail = uniqueEmail('signed-in')
		const browser = await signUpVerified(foyer, 'acme', otherEmail)
		expect(await liveSessions(otherEmail)).toHaveLength(1)
		const typed = await browser.post('/login', { email: victim.email, password: PASSWORD })
		expect(typed.headers.get('location')).toBe('/login/mfa')
		expect(typed.headers.getSetCookie().some((cookie) => /^sid=;/.test(cookie) || /^sid=.*Max-Age=0/i.test(cookie))).toBe(true)
		expect(await liveSessions(otherEmail)).toEqual([])
		expect((await browser.request('/account')).status).toBe(302)
	})

	it('with the victim’s pending sign-in cookie carried into a signed-in browser, enrolling an app raises only the enroller’s own session', async () => {
		const victim = await victimWithTotp()
		const pendingBrowser = foyer.client('acme')
		expect((await pendingBrowser.post('/login', { email: victim.email, password: PASSWORD })).headers.get('location')).toBe('/login/mfa')
		const pendingCookie = pendingBrowser.cookies().get('mfa')
		expect(pendingCookie).toBeDefined()

		const attackerEmail = uniqueEmail('juggler')
		const browser = await signUpVerified(foyer, 'acme', attackerEmail)
		browser.jar.get('acme.localhost')!.set('mfa', pendingCookie!)
		const enrolled = await enrolOwnTotp(browser, attackerEmail)
		expect(enrolled.started).toBe(true)
		expect(enrolled.started && enrolled.confirmed.headers.get('location')).toMatch(/^\/account\/security\?notice=totp-on/)

		expect(await liveSessions(victim.email)).toEqual([])
		expect(await liveSessions(attackerEmail)).toEqual([expect.objectContaining({ aal: 'aal2' })])
		const account = await (await browser.request('/account')).text()
		expect(account).toContain(attackerEmail)
		expect(account).not.toContain(victim.email)
	})

	it('a session that starts clears any pending sign-in the browser still holds', async () => {
		const victim = await victimWithTotp()
		const other = uniqueEmail('plain')
		await signUpVerified(foyer, 'acme', other)
		const browser = foyer.client('acme')
		await browser.post('/login', { email: victim.email, password: PASSWORD })
		expect(browser.cookies().has('mfa')).toBe(true)
		const signedIn = await browser.post('/login', { email: other, password: PASSWORD })
		expect(signedIn.headers.get('location')).toBe('/account')
		expect(browser.cookies().has('mfa')).toBe(false)
		// The victim's second step is gone from this browser: the page now belongs to the signed-in user.
		const mfa = await browser.request('/login/mfa')
		expect(mfa.status).toBe(302)
		expect(await liveSessions(victim.email)).toEqual([])
	})
})

describe('secret checks under load: a point is taken before each check', () => {
	it('a hundred parallel guesses at one pending sign-in check at most five codes', async () => {
		const victim = await victimWithTotp()
		const browser = foyer.client('acme')
		await browser.post('/login', { email: victim.email, password: PASSWORD })
		const cookie = [...browser.cookies()].map(([name, value]) => `${name}=${value}`).join('; ')
		const guesses = await Promise.all(
			Array.from({ length: 100 }, (_, i) => new Client(browser.origin).post('/login/mfa', { method: 'totp', code: String(100000 + i) }, { headers: { cookie, 'x-forwarded-for': '198.51.100.10' } }).then((response) => response.status)),
		)
		const checked = guesses.filter((status) => status === 400).length
		expect(checked, JSON.stringify(guesses)).toBeGreaterThan(0)
		expect(checked).toBeLessThanOrEqual(5)
		expect(guesses.filter((status) => status !== 400 && status !== 429)).toEqual([])
		const failures = await foyer.sql(`SELECT e.id FROM "AuditEvent" e JOIN "User" u ON u.id = e."actorId" WHERE u.email = $1 AND e.type = 'mfa.failed'`, [victim.email])
		expect(failures.length).toBe(checked)
	})

	it('a hundred parallel password guesses for one account check at most ten', async () => {
		const email = uniqueEmail('sprayed')
		await signUpVerified(foyer, 'acme', email)
		const guesses = await Promise.all(Array.from({ length: 100 }, (_, i) => foyer.client('acme').post('/login', { email, password: `not the password ${i} at all` }, { headers: { 'x-forwarded-for': '198.51.100.11' } }).then((response) => response.status)))
		const checked = guesses.filter((status) => status === 400).length
		expect(checked).toBeGreaterThan(0)
		expect(checked).toBeLessThanOrEqual(10)
		expect(guesses.filter((status) => status !== 400 && status !== 429)).toEqual([])
	})
})

describe('required-for-admins is about what a role can do, not its name', () => {
	let slug: string
	beforeAll(async () => {
		slug = `gate${Date.now() % 100000}`
		const created = await foyer.cli(['orgs', 'create', '--name', 'Gatehouse', '--slug', slug])
		expect(created.code, created.stderr).toBe(0)
		const set = await foyer.cli(['orgs', 'set', '--org', slug, 'mfaPolicy=required-for-admins'])
		expect(set.code, set.stderr).toBe(0)
		const [org] = await foyer.sql<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [slug])
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, description, statements, "createdAt", "updatedAt") VALUES ($1, $2, 'Support lead', '', $3, now(), now())`, [
			`role_${slug}`,
			org!.id,
			JSON.stringify({ user: ['read', 'update'] }),
		])
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, description, statements, "createdAt", "updatedAt") VALUES ($1, $2, 'Auditor', '', $3, now(), now())`, [
			`role_${slug}_audit`,
			org!.id,
			JSON.stringify({ audit: ['read', 'export'], user: ['read'] }),
		])
		// Running servers hear of the settings change over pg NOTIFY.
		await new Promise((resolve) => setTimeout(resolve, 300))
	})

	async function signInWithRole(role: string) {
		const email = uniqueEmail(role.replace(/\s/g, '-').toLowerCase())
		await signUpVerified(foyer, slug, email)
		await foyer.sql(`UPDATE "User" SET role = $1 WHERE email = $2`, [role, email])
		const signedIn = await foyer.client(slug).post('/login', { email, password: PASSWORD })
		expect(signedIn.status).toBe(302)
		return signedIn.headers.get('location')
	}

	it('holds a custom role that can change users to the policy, as it holds admins', async () => {
		expect(await signInWithRole('Support lead')).toBe('/account/security?setup=required&redirectTo=%2Faccount')
		expect(await signInWithRole('admin')).toBe('/account/security?setup=required&redirectTo=%2Faccount')
	})

	it('does not hold a role that only reads', async () => {
		expect(await signInWithRole('Auditor')).toBe('/account')
		expect(await signInWithRole('member')).toBe('/account')
	})
})
