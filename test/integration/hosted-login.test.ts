import { describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client, parseSetCookie } from '../setup/http'

const foyer = foyerPerFile()

let counter = 0
const uniqueEmail = () => `user${++counter}-${Date.now()}@example.com`

/** A signed-in user: sign-up, then the code from the verification email. */
async function signUp(slug: string, email = uniqueEmail()) {
	const client = await signUpVerified(foyer, slug, email)
	return { client, email }
}

/** Sign-up's first half: the form. Answers "check your email" and signs nobody in. */
async function submitSignUp(client: Client, email: string) {
	const started = new Date(Date.now() - 1000)
	const response = await client.post('/signup', { email, password: PASSWORD })
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toBe(`/verify?${new URLSearchParams({ type: 'verify-email', target: email })}`)
	return { response, started }
}

/** Sign-up's second half: the code from the verification email sent after `started`, which signs in. */
async function enterCode(client: Client, email: string, started: Date) {
	const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: started })
	const response = await client.post('/verify', { intent: 'code', type: 'verify-email', target: email, code: codeFrom(mail.text) })
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toBe('/account')
	return response
}

describe('sign-up, sign-in, sign-out', () => {
	it('signs a new user up, and into their account once the emailed code proves the address', async () => {
		const client = foyer.client('acme')
		const email = uniqueEmail()
		const { response, started } = await submitSignUp(client, email)
		// Not signed in by the form alone.
		expect(response.headers.getSetCookie().map((header) => parseSetCookie(header).name)).not.toContain('sid')
		expect(client.cookies().has('sid')).toBe(false)
		expect((await client.request('/account')).status).toBe(302)
		const [pending] = await foyer.sql<{ emailVerified: boolean }>('SELECT "emailVerified" FROM "User" WHERE email = $1', [email])
		expect(pending).toEqual({ emailVerified: false })

		await enterCode(client, email, started)
		const account = await client.request('/account')
		expect(account.status).toBe(200)
		const html = await account.text()
		expect(html).toContain(email)
		expect(html).toContain('Sign out')
		const [user] = await foyer.sql<{ email: string; org: string; emailVerified: boolean }>(
			'SELECT u.email, o.slug AS org, u."emailVerified" FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE u.email = $1',
			[email],
		)
		expect(user).toEqual({ email, org: 'acme', emailVerified: true })
	})

	it('sets a host-only, HttpOnly, SameSite=Lax session cookie holding no user data', async () => {
		const client = foyer.client('acme')
		const email = uniqueEmail()
		const { started } = await submitSignUp(client, email)
		const response = await enterCode(client, email, started)
		const cookie = response.headers.getSetCookie().map(parseSetCookie).find((set) => set.name.endsWith('sid'))!
		expect(cookie?.name).toBe('sid') // plain HTTP on localhost: no __Host- prefix, not Secure
		expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' })
		expect(cookie.attributes).not.toHaveProperty('domain')
		expect(decodeURIComponent(cookie.value)).not.toContain(email)
		// Only a hash of the token is stored.
		const token = JSON.parse(Buffer.from(decodeURIComponent(cookie.value).split('.')[0]!, 'base64').toString()) as string
		expect(token.length).toBeGreaterThanOrEqual(43) // 32 random bytes, base64url
		const rows = await foyer.sql('SELECT 1 FROM "Session" WHERE "tokenHash" = $1', [token])
		expect(rows).toHaveLength(0)
	})

	it('signs in with the right password and rotates the session', async () => {
		const { client, email } = await signUp('acme')
		const before = client.cookies().get('sid')
		const response = await client.post('/login', { email, password: PASSWORD })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/account')
		const after = client.cookies().get('sid')
		expect(after).toBeDefined()
		expect(after).not.toBe(before)
		// The session the browser had before signing in is revoked, not merely forgotten.
		const stale = foyer.client('acme')
		stale.jar.set('acme.localhost', new Map([['sid', before!]]))
		expect((await stale.request('/account')).status).toBe(302)
		expect((await client.request('/account')).status).toBe(200)
	})

	it('gives the same answer for a wrong password and an unknown email', async () => {
		const { email } = await signUp('acme')
		const wrong = await foyer.client('acme').post('/login', { email, password: 'not the right password at all' })
		const unknown = await foyer.client('acme').post('/login', { email: uniqueEmail(), password: 'not the right password at all' })
		expect(wrong.status).toBe(400)
		expect(unknown.status).toBe(400)
		const [wrongHtml, unknownHtml] = await Promise.all([wrong.text(), unknown.text()])
		expect(wrongHtml).toContain('Email or password is incorrect.')
		expect(unknownHtml).toContain('Email or password is incorrect.')
		expect(wrong.headers.getSetCookie()).toEqual([])
		// The typed password is never echoed back into the page.
		expect(wrongHtml).not.toContain('not the right password at all')
	})

	it('signs out by revoking the session row', async () => {
		const { client } = await signUp('acme')
		const token = client.cookies().get('sid')!
		const response = await client.post('/logout', {})
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/login')
		const replay = foyer.client('acme')
		replay.jar.set('acme.localhost', new Map([['sid', token]]))
		const account = await replay.request('/account')
		expect(account.status).toBe(302)
		expect(account.headers.get('location')).toBe('/login?redirectTo=%2Faccount')
		const revoked = await foyer.sql('SELECT 1 FROM "Session" WHERE "revokedAt" IS NOT NULL')
		expect(revoked.length).toBeGreaterThan(0)
	})

	it('refuses sign-out by GET', async () => {
		const { client } = await signUp('acme')
		const response = await client.request('/logout')
		expect(response.status).toBe(302)
		expect((await client.request('/account')).status).toBe(200)
	})

	it('keeps each org a separate user pool and a session to its own host', async () => {
		const email = uniqueEmail()
		const { client } = await signUp('acme', email)
		// The same email can sign up in another org: a different user. (Its code is the one in the
		// message newer than acme's: the outbox is searched by address, across orgs.)
		const acmeMail = await latestOutboxEmail(foyer, email, { template: 'verify-email' })
		const operator = foyer.client('operator')
		await submitSignUp(operator, email)
		await enterCode(operator, email, acmeMail.createdAt)
		expect((await operator.request('/account')).status).toBe(200)
		const users = await foyer.sql('SELECT id FROM "User" WHERE email = $1', [email])
		expect(users).toHaveLength(2)
		// The acme cookie presented on the operator host is worthless there.
		const crossed = foyer.client('operator')
		crossed.jar.set('localhost', client.cookies('acme.localhost'))
		const response = await crossed.request('/account')
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toMatch(/^\/login/)
	})

	it('sends an anonymous visitor to sign in and back where they were going', async () => {
		const client = foyer.client('acme')
		const response = await client.request('/account')
		expect(response.headers.get('location')).toBe('/login?redirectTo=%2Faccount')
		const email = uniqueEmail()
		await signUpVerified(foyer, 'acme', email, PASSWORD, client)
		await client.post('/logout', {})
		const login = await client.post('/login', { email, password: PASSWORD, redirectTo: '//evil.example/steal' })
		expect(login.headers.get('location')).toBe('/account')
	})
})

describe('session expiry', () => {
	it('ends a session after the idle limit', async () => {
		const { client, email } = await signUp('acme')
		await foyer.sql(`UPDATE "Session" s SET "lastSeenAt" = now() - interval '4 days' FROM "User" u WHERE u.id = s."userId" AND u.email = $1`, [email])
		expect((await client.request('/account')).status).toBe(302)
	})

	it('ends a session at its absolute expiry however active it is', async () => {
		const { client, email } = await signUp('acme')
		await foyer.sql(`UPDATE "Session" s SET "expiresAt" = now() - interval '1 second' FROM "User" u WHERE u.id = s."userId" AND u.email = $1`, [email])
		expect((await client.request('/account')).status).toBe(302)
	})

	it('honours the org setting for the idle limit', async () => {
		const { client, email } = await signUp('acme')
		await foyer.sql(`UPDATE "Session" s SET "lastSeenAt" = now() - interval '2 days' FROM "User" u WHERE u.id = s."userId" AND u.email = $1`, [email])
		expect((await client.request('/account')).status).toBe(200) // default idle limit: 3 days
	})

	it('ends every session of a disabled user', async () => {
		const { client, email } = await signUp('acme')
		await foyer.sql(`UPDATE "User" SET "disabledAt" = now() WHERE email = $1`, [email])
		expect((await client.request('/account')).status).toBe(302)
		const again = await foyer.client('acme').post('/login', { email, password: PASSWORD })
		expect(again.status).toBe(400)
	})
})

describe('audit trail', () => {
	it('keeps one unbroken chain when many sign-ins of one org write at once', async () => {
		const emails = Array.from({ length: 12 }, () => uniqueEmail())
		const outcomes = await Promise.all(emails.map((email) => foyer.client('acme').post('/signup', { email, password: PASSWORD })))
		expect(outcomes.map((response) => response.status)).toEqual(emails.map(() => 302))
		expect(outcomes.map((response) => response.headers.get('location'))).toEqual(emails.map((email) => `/verify?${new URLSearchParams({ type: 'verify-email', target: email })}`))
		await Promise.all(emails.map((email) => foyer.client('acme').post('/login', { email, password: 'a wrong password for sure' })))
		const verify = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(verify.json).toMatchObject({ ok: true })
		const [gaps] = await foyer.sql<{ n: string }>(`SELECT count(*) - max(seq) AS n FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme'`)
		expect(Number(gaps!.n)).toBe(0)
	})

	it('records sign-up, verification, sign-in, failed sign-in and sign-out in one intact chain', async () => {
		const { client, email } = await signUp('acme')
		await client.post('/logout', {})
		await client.post('/login', { email, password: 'a wrong password for sure' })
		await client.post('/login', { email, password: PASSWORD })
		const [user] = await foyer.sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [email])
		const events = await foyer.sql<{ type: string }>(`SELECT type FROM "AuditEvent" WHERE "actorId" = $1 ORDER BY seq`, [user!.id])
		expect(events.map((event) => event.type)).toEqual(['user.signed_up', 'user.email_verified', 'user.signed_in', 'user.signed_out', 'user.sign_in_failed', 'user.signed_in'])
		const verify = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(verify.code).toBe(0)
		expect(verify.json).toMatchObject({ ok: true })
		expect(verify.json!.events).toBeGreaterThanOrEqual(6)
	})
})
