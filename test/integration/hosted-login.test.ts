import { describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'
import { parseSetCookie } from '../setup/http'

const PASSWORD = 'violet tractor moonlight 42'
const foyer = foyerPerFile()

let counter = 0
const uniqueEmail = () => `user${++counter}-${Date.now()}@example.com`

async function signUp(slug: string, email = uniqueEmail()) {
	const client = foyer.client(slug)
	const response = await client.post('/signup', { email, password: PASSWORD })
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toBe('/account')
	return { client, email, response }
}

describe('sign-up, sign-in, sign-out', () => {
	it('signs a new user up and into their account', async () => {
		const { client, email } = await signUp('acme')
		const account = await client.request('/account')
		expect(account.status).toBe(200)
		const html = await account.text()
		expect(html).toContain(email)
		expect(html).toContain('Sign out')
		const [user] = await foyer.sql<{ email: string; org: string }>('SELECT u.email, o.slug AS org FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE u.email = $1', [email])
		expect(user).toEqual({ email, org: 'acme' })
	})

	it('sets a host-only, HttpOnly, SameSite=Lax session cookie holding no user data', async () => {
		const { response, email } = await signUp('acme')
		const cookie = parseSetCookie(response.headers.getSetCookie()[0]!)
		expect(cookie.name).toBe('sid') // plain HTTP on localhost: no __Host- prefix, not Secure
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
		// The same email can sign up in another org: a different user.
		await signUp('operator', email)
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
		await client.post('/signup', { email, password: PASSWORD })
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
		await Promise.all(emails.map((email) => foyer.client('acme').post('/login', { email, password: 'a wrong password for sure' })))
		const verify = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(verify.json).toMatchObject({ ok: true })
		const [gaps] = await foyer.sql<{ n: string }>(`SELECT count(*) - max(seq) AS n FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme'`)
		expect(Number(gaps!.n)).toBe(0)
	})

	it('records sign-up, sign-in, failed sign-in and sign-out in one intact chain', async () => {
		const { client, email } = await signUp('acme')
		await client.post('/logout', {})
		await client.post('/login', { email, password: 'a wrong password for sure' })
		await client.post('/login', { email, password: PASSWORD })
		const [user] = await foyer.sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [email])
		const events = await foyer.sql<{ type: string }>(`SELECT type FROM "AuditEvent" WHERE "actorId" = $1 ORDER BY seq`, [user!.id])
		expect(events.map((event) => event.type)).toEqual(['user.signed_up', 'user.signed_in', 'user.signed_out', 'user.sign_in_failed', 'user.signed_in'])
		const verify = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(verify.code).toBe(0)
		expect(verify.json).toMatchObject({ ok: true })
		expect(verify.json!.events).toBeGreaterThanOrEqual(5)
	})
})
