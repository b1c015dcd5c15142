import { describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { backupCodesIn, enrolTotp, nextTotpCode } from '../setup/totp'

const foyer = foyerPerFile()
let counter = 0
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`

/** A user with an authenticator app (and the first backup codes), signed in on `client`. */
async function userWithTotp(label: string) {
	const email = uniqueEmail(label)
	const client = await signUpVerified(foyer, 'acme', email)
	const { secret, backupCodes } = await enrolTotp(foyer, client, email)
	return { email, client, secret, backupCodes }
}

async function passwordStep(email: string, client: Client = foyer.client('acme'), redirectTo = '') {
	const response = await client.post('/login', { email, password: PASSWORD, redirectTo })
	expect(response.status).toBe(302)
	return { client, location: response.headers.get('location') }
}

async function sessionOf(email: string) {
	const [row] = await foyer.sql<{ aal: string; amr: string[] }>(
		`SELECT s.aal, s.amr FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC LIMIT 1`,
		[email],
	)
	return row
}

const events = (email: string, type: string) =>
	foyer.sql<{ data: Record<string, unknown> }>(`SELECT e.data FROM "AuditEvent" e JOIN "User" u ON u.id = e."actorId" WHERE u.email = $1 AND e.type = $2 ORDER BY e.seq`, [email, type])

const signedIn = async (client: Client) => (await client.request('/account')).status === 200

describe('authenticator app (TOTP)', () => {
	it('enrols from /account/security: QR and secret shown, a code confirms it, backup codes are shown once', async () => {
		const email = uniqueEmail('enrol')
		const client = await signUpVerified(foyer, 'acme', email)
		const start = await client.post('/account/security', { intent: 'start-totp' })
		expect(start.headers.get('location')).toBe('/account/security/totp')
		const page = await (await client.request('/account/security/totp')).text()
		expect(page).toContain('src="data:image/png;base64,')
		expect(page).toMatch(/<label[^>]*>[^<]*Code[^<]*<\/label>/)
		// Not a factor until confirmed: signing in elsewhere asks for nothing more.
		expect((await passwordStep(email)).location).toBe('/account')
		const wrong = await client.post('/account/security/totp', { code: '000000' })
		expect(wrong.status).toBe(400)
		expect(await wrong.text()).toContain('That code is not right')
		// Starting again from "Set up" replaces the unconfirmed secret above.
		const { secret, backupCodes } = await enrolTotp(foyer, client, email)
		expect(secret).toMatch(/^[A-Z2-7]{32}$/)
		expect(backupCodes).toHaveLength(10)
		const [stored] = await foyer.sql<{ secretEncrypted: string; confirmedAt: Date | null }>(`SELECT t.* FROM "TotpFactor" t JOIN "User" u ON u.id = t."userId" WHERE u.email = $1`, [email])
		expect(stored!.confirmedAt).not.toBeNull()
		expect(stored!.secretEncrypted).not.toContain(secret)
		expect(await events(email, 'mfa.totp_enrolled')).toHaveLength(1)
		expect(await events(email, 'mfa.backup_codes_generated')).toHaveLength(1)
		expect(await (await client.request('/account/security?notice=totp-on')).text()).toContain('Make backup codes now')
		const codes = await foyer.sql<{ codeHash: string }>(`SELECT b."codeHash" FROM "BackupCode" b JOIN "User" u ON u.id = b."userId" WHERE u.email = $1`, [email])
		expect(codes.map((row) => row.codeHash)).not.toContain(backupCodes[0]!.replace('-', ''))
		// The code just proved the new factor: this browser's session is now aal2.
		expect(await sessionOf(email)).toMatchObject({ aal: 'aal2' })
	})

	it('asks for a code after the password; no session until it passes; the right code signs in at aal2', async () => {
		const { email, secret } = await userWithTotp('second-step')
		const { client, location } = await passwordStep(email)
		expect(location).toBe('/login/mfa')
		expect(await signedIn(client)).toBe(false)
		const page = await client.request('/login/mfa?method=totp')
		expect(page.status).toBe(200)
		expect(await page.text()).toMatch(/<label[^>]*>Code from your authenticator app<\/label>/)
		const wrong = await client.post('/login/mfa', { method: 'totp', code: '123456' })
		expect(wrong.status).toBe(400)
		expect(await signedIn(client)).toBe(false)
		const right = await client.post('/login/mfa', { method: 'totp', code: await nextTotpCode(foyer, email, secret) })
		expect(right.status).toBe(302)
		expect(right.headers.get('location')).toBe('/account')
		expect(await signedIn(client)).toBe(true)
		expect(await sessionOf(email)).toEqual({ aal: 'aal2', amr: ['pwd', 'otp', 'mfa'] })
		const [signIn] = (await events(email, 'user.signed_in')).slice(-1)
		expect(signIn!.data).toMatchObject({ method: 'totp', aal: 'aal2', secondFactor: 'totp' })
		const failures = await events(email, 'mfa.failed')
		expect(failures.at(-1)!.data).toMatchObject({ method: 'totp' })
	})

	it('accepts each time step once: a replayed code is refused', async () => {
		const { email, secret } = await userWithTotp('replay')
		const code = await nextTotpCode(foyer, email, secret)
		const first = (await passwordStep(email)).client
		expect((await first.post('/login/mfa', { method: 'totp', code })).status).toBe(302)
		const second = (await passwordStep(email)).client
		const replay = await second.post('/login/mfa', { method: 'totp', code })
		expect(replay.status).toBe(400)
		expect(await signedIn(second)).toBe(false)
		expect((await events(email, 'mfa.failed')).at(-1)!.data).toMatchObject({ method: 'totp', reason: 'replayed' })
	})

	it('goes back to where the sign-in was heading', async () => {
		const { email, secret } = await userWithTotp('redirect')
		const { client } = await passwordStep(email, foyer.client('acme'), '/account/sessions')
		const done = await client.post('/login/mfa', { method: 'totp', code: await nextTotpCode(foyer, email, secret) })
		expect(done.headers.get('location')).toBe('/account/sessions')
	})

	it('throttles wrong codes with the shared limit (429 and Retry-After), and each pending sign-in gets five tries', async () => {
		const { email } = await userWithTotp('throttle')
		for (let signIn = 0; signIn < 2; signIn++) {
			const { client } = await passwordStep(email)
			for (let i = 0; i < 5; i++) expect((await client.post('/login/mfa', { method: 'totp', code: String(100000 + 10 * signIn + i) })).status).toBe(400)
			const spent = await client.post('/login/mfa', { method: 'totp', code: '999999' })
			expect(spent.status).toBe(429)
			expect(await spent.text()).toContain('Too many wrong codes for this sign-in. Sign in again')
			// That pending sign-in is over: the browser starts again at /login.
			expect((await client.request('/login/mfa')).headers.get('location')).toBe('/login')
		}
		// Ten failures on the account: even the right password is refused now, from any browser.
		const refused = await foyer.client('acme').post('/login', { email, password: PASSWORD })
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
	})

	it('a right password does not clear the failures counted against the second factor', async () => {
		const { email } = await userWithTotp('no-reset')
		const first = await passwordStep(email)
		for (let i = 0; i < 5; i++) expect((await first.client.post('/login/mfa', { method: 'totp', code: String(200000 + i) })).status).toBe(400)
		const second = await passwordStep(email)
		for (let i = 0; i < 4; i++) expect((await second.client.post('/login/mfa', { method: 'totp', code: String(200010 + i) })).status).toBe(400)
		// The password again: right, so it leads on to the second step, but the nine failures stand.
		const third = await passwordStep(email)
		expect(third.location).toBe('/login/mfa')
		expect((await third.client.post('/login/mfa', { method: 'totp', code: '300000' })).status).toBe(400)
		expect((await third.client.post('/login/mfa', { method: 'totp', code: '300001' })).status).toBe(429)
	})

	it('refuses garbage with 400, never 500, and sends a browser with no pending sign-in to /login', async () => {
		const { email } = await userWithTotp('garbage')
		const { client } = await passwordStep(email)
		for (const fields of [{}, { method: 'nope', code: '1' }, { method: 'totp' }, { method: 'totp', code: 'x'.repeat(5000) }, { method: 'sms', code: '123456' }, { method: 'passkey', code: '1' }]) {
			const response = await client.post('/login/mfa', fields as Record<string, string>)
			expect(response.status, JSON.stringify(fields)).toBe(400)
		}
		const stranger = await foyer.client('acme').request('/login/mfa')
		expect(stranger.status).toBe(302)
		expect(stranger.headers.get('location')).toBe('/login')
		const forged = foyer.client('acme')
		forged.jar.set('acme.localhost', new Map([['mfa', 'eyJ1c2VySWQiOiJ4In0%3D.forged']]))
		expect((await forged.request('/login/mfa')).headers.get('location')).toBe('/login')
	})

	it('can be removed after a recent sign-in; then sign-in asks for nothing more', async () => {
		const { email, client } = await userWithTotp('remove')
		const removed = await client.post('/account/security', { intent: 'remove-totp' })
		expect(removed.status).toBe(302)
		expect(await events(email, 'mfa.totp_removed')).toHaveLength(1)
		expect((await passwordStep(email)).location).toBe('/account')
	})
})

describe('backup codes', () => {
	it('sign in once each, warn by email, and the list shrinks', async () => {
		const { email, backupCodes } = await userWithTotp('backup')
		const { client } = await passwordStep(email)
		const page = await (await client.request('/login/mfa?method=backup-code')).text()
		expect(page).toMatch(/<label[^>]*>Code from your backup codes<\/label>/)
		const since = new Date()
		const used = await client.post('/login/mfa', { method: 'backup-code', code: backupCodes[0]!.toUpperCase() })
		expect(used.status).toBe(302)
		expect(await sessionOf(email)).toEqual({ aal: 'aal2', amr: ['pwd', 'kba', 'mfa'] })
		const mail = await latestOutboxEmail(foyer, email, { template: 'backup-code-used', after: since })
		expect(mail.text).toContain('9 codes are left')
		const again = (await passwordStep(email)).client
		const reused = await again.post('/login/mfa', { method: 'backup-code', code: backupCodes[0]! })
		expect(reused.status).toBe(400)
		expect(await reused.text()).toContain('That backup code is not valid, or was already used.')
		expect(await events(email, 'mfa.backup_code_used')).toHaveLength(1)
	})

	it('regenerating replaces the whole set', async () => {
		const { email, client, backupCodes } = await userWithTotp('regenerate')
		const fresh = await client.post('/account/security', { intent: 'regenerate-backup-codes' })
		expect(fresh.status).toBe(200)
		const newCodes = backupCodesIn(await fresh.text())
		expect(newCodes).toHaveLength(10)
		const { client: browser } = await passwordStep(email)
		expect((await browser.post('/login/mfa', { method: 'backup-code', code: backupCodes[1]! })).status).toBe(400)
		expect((await browser.post('/login/mfa', { method: 'backup-code', code: newCodes[0]! })).status).toBe(302)
	})

	it('are not offered without another factor', async () => {
		const client = await signUpVerified(foyer, 'acme', uniqueEmail('lonely'))
		const refused = await client.post('/account/security', { intent: 'regenerate-backup-codes' })
		expect(refused.status).toBe(409)
	})
})

describe('step-up', () => {
	const age = (email: string) =>
		foyer.sql(`UPDATE "Session" s SET "createdAt" = now() - interval '11 minutes' FROM "User" u WHERE u.id = s."userId" AND u.email = $1 AND s."revokedAt" IS NULL`, [email])

	it('asks a user with a second factor for it before a sensitive page, then returns there', async () => {
		const { email, client, secret } = await userWithTotp('stepup-mfa')
		await age(email)
		const gated = await client.request('/account/password')
		expect(gated.status).toBe(302)
		expect(gated.headers.get('location')).toBe('/login/mfa?redirectTo=%2Faccount%2Fpassword')
		const page = await (await client.request(gated.headers.get('location')!)).text()
		expect(page).toContain('Confirm it’s you')
		const passed = await client.post('/login/mfa?redirectTo=%2Faccount%2Fpassword', { method: 'totp', code: await nextTotpCode(foyer, email, secret), redirectTo: '/account/password' })
		expect(passed.headers.get('location')).toBe('/account/password')
		expect((await client.request('/account/password')).status).toBe(200)
		expect((await events(email, 'user.signed_in')).at(-1)!.data).toMatchObject({ stepUp: true, secondFactor: 'totp' })
	})

	it('asks a user without one to sign in again, for email, factors and account deletion too', async () => {
		const email = uniqueEmail('stepup-pwd')
		const client = await signUpVerified(foyer, 'acme', email)
		await age(email)
		for (const path of ['/account/password', '/account/email', '/account/delete']) {
			const gated = await client.request(path)
			expect(gated.headers.get('location'), path).toBe(`/login?${new URLSearchParams({ redirectTo: path, reauth: '1', notice: 'step-up' })}`)
		}
		const post = await client.post('/account/security', { intent: 'start-totp' })
		expect(post.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Faccount%2Fsecurity&reauth=1/)
		const login = await client.request('/login?redirectTo=%2Faccount%2Fpassword&reauth=1&notice=step-up')
		expect(await login.text()).toContain('For your security, sign in again to continue.')
		await passwordStep(email, client, '/account/password')
		expect((await client.request('/account/password')).status).toBe(200)
	})
})

describe('account deletion', () => {
	it('deletes the user and everything that signs them in, after typing the address', async () => {
		const { email, client } = await userWithTotp('delete')
		expect((await client.post('/account/delete', { confirmEmail: 'wrong@example.com' })).status).toBe(400)
		const deleted = await client.post('/account/delete', { confirmEmail: email.toUpperCase() })
		expect(deleted.status).toBe(302)
		expect(deleted.headers.get('location')).toBe('/login?notice=account-deleted')
		expect(await foyer.sql(`SELECT 1 FROM "User" WHERE email = $1`, [email])).toHaveLength(0)
		const [event] = await foyer.sql<{ data: { email: string } }>(`SELECT data FROM "AuditEvent" WHERE type = 'user.deleted' AND data->>'email' = $1`, [email])
		expect(event).toBeDefined()
		expect(await signedIn(client)).toBe(false)
		const login = await foyer.client('acme').post('/login', { email, password: PASSWORD })
		expect(login.status).toBe(400)
	})

	it("refuses to delete an org's only owner", async () => {
		const admin = foyer.admins.acme!
		const client = foyer.client('acme')
		expect((await client.post('/login', admin)).status).toBe(302)
		const refused = await client.post('/account/delete', { confirmEmail: admin.email })
		expect(refused.status).toBe(409)
		expect(await refused.text()).toContain('only owner')
	})
})

describe('new sign-in email', () => {
	it('is sent for a browser not seen before, not for one seen before', async () => {
		const email = uniqueEmail('device')
		const phone = await signUpVerified(foyer, 'acme', email)
		const laptop = foyer.client('acme')
		const since = new Date()
		await laptop.post('/login', { email, password: PASSWORD }, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' } })
		const mail = await latestOutboxEmail(foyer, email, { template: 'new-sign-in', after: since })
		expect(mail.text).toContain('Firefox 133 on Linux')
		expect(mail.text).toContain(`http://acme.localhost:${foyer.port}/account/sessions`)
		const later = new Date()
		await phone.post('/logout', {})
		await phone.post('/login', { email, password: PASSWORD })
		await laptop.post('/login', { email, password: PASSWORD })
		await new Promise((resolve) => setTimeout(resolve, 500))
		const more = await foyer.sql(`SELECT 1 FROM "OutboxEmail" WHERE "to" = $1 AND template = 'new-sign-in' AND "createdAt" > $2`, [email, later])
		expect(more).toHaveLength(0)
	})
})

describe('text message codes', () => {
	it('a verified phone is a second factor: "Send code" texts one to the outbox, and it signs in once', async () => {
		const email = uniqueEmail('sms')
		const client = await signUpVerified(foyer, 'acme', email)
		const phone = `+1415555${String(1000 + counter).slice(-4)}`
		const added = new Date()
		expect((await client.post('/account/phone', { intent: 'send', phone })).status).toBeLessThan(400)
		const verifyText = await latestOutboxEmail(foyer, phone, { template: 'sms', after: added })
		expect((await client.post('/account/phone', { intent: 'verify', phone, code: codeFrom(verifyText.text) })).status).toBe(302)

		const { client: browser, location } = await passwordStep(email)
		expect(location).toBe('/login/mfa')
		const page = await (await browser.request('/login/mfa?method=sms')).text()
		expect(page).toMatch(/<label[^>]*>Code from the text message<\/label>/)
		expect(page).toContain(`ending in ${phone.slice(-2)}`)
		const since = new Date()
		const sent = await browser.post('/login/mfa', { intent: 'send-sms' })
		expect(sent.status).toBe(200)
		const text = await latestOutboxEmail(foyer, phone, { template: 'sms', after: since })
		expect(text.text).toMatch(/^\d{6} is your .+ code/)
		const code = codeFrom(text.text)
		expect((await browser.post('/login/mfa', { method: 'sms', code: code === '000000' ? '111111' : '000000' })).status).toBe(400)
		const done = await browser.post('/login/mfa', { method: 'sms', code })
		expect(done.status).toBe(302)
		expect(await sessionOf(email)).toEqual({ aal: 'aal2', amr: ['pwd', 'sms', 'mfa'] })
		const again = (await passwordStep(email)).client
		expect((await again.post('/login/mfa', { method: 'sms', code })).status).toBe(400)
	})
})
