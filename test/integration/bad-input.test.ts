import { FormData, type Response as UndiciResponse } from 'undici'
import { describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * Garbage into the two public forms: every answer is a 4xx with a readable message, never a
 * 500, and nothing is half-written. Cases are generated from a seeded PRNG so failures replay.
 */
const foyer = foyerPerFile()

const userCount = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "User"'))[0]!.n)

function prng(seed: number) {
	return () => {
		seed = (seed * 1664525 + 1013904223) >>> 0
		return seed / 2 ** 32
	}
}

const nasty = ['', ' ', '\u0000', 'a\u0000b@example.com', '\uFFFF', '\uD800', '😀'.repeat(600), 'x'.repeat(100_000), '<script>alert(1)</script>', "' OR 1=1 --", '%00', '../../etc/passwd', 'a@b', '@', 'ａ@ｂ.ｃｏｍ', '\r\n\r\nSet-Cookie: x=1']

function randomString(random: () => number) {
	const length = Math.floor(random() * 300)
	let out = ''
	for (let i = 0; i < length; i++) out += String.fromCharCode(Math.floor(random() * 0xffff))
	return out
}

/** A raw urlencoded body: values are bytes, so invalid UTF-8 reaches the server as-is. */
function rawBody(fields: Record<string, Buffer | string>) {
	return Buffer.concat(
		Object.entries(fields).flatMap(([key, value], index) => [
			Buffer.from(`${index ? '&' : ''}${encodeURIComponent(key)}=`),
			typeof value === 'string' ? Buffer.from(encodeURIComponent(value)) : Buffer.from([...value].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
		]),
	)
}

async function expectClientError(response: Response | UndiciResponse, label: string) {
	expect(response.status, label).toBeGreaterThanOrEqual(400)
	expect(response.status, label).toBeLessThan(500)
	const html = await response.text()
	// A message a person can read: a field error, the form error or the error page.
	expect(html, label).toMatch(/role="alert"|id="[^"]+-error"|<li>/)
	return html
}

describe.each(['/signup', '/login'])('fuzzing %s', (path) => {
	it('answers every generated garbage submission with a 4xx and a message', async () => {
		const before = await userCount()
		const random = prng(path.length * 7919)
		const client = foyer.client('acme')
		for (let i = 0; i < 60; i++) {
			const pick = () => (random() < 0.5 ? nasty[Math.floor(random() * nasty.length)]! : randomString(random))
			const fields: Record<string, string> = {}
			if (random() < 0.9) fields.email = pick()
			if (random() < 0.9) fields.password = pick()
			if (random() < 0.2) fields.redirectTo = pick()
			const response = await client.post(path, fields)
			// A random string can, rarely, be a valid sign-up; anything else must be a 4xx.
			if (response.status === 302) continue
			await expectClientError(response, `case ${i}: ${JSON.stringify(fields).slice(0, 120)}`)
		}
		// Fuzzed sign-in attempts must not have created anyone; fuzzed sign-ups only whole users.
		const orphans = await foyer.sql('SELECT u.id FROM "User" u LEFT JOIN "Password" p ON p."userId" = u.id WHERE p."userId" IS NULL AND u.email NOT LIKE \'admin@%\'')
		expect(orphans).toEqual([])
		if (path === '/login') expect(await userCount()).toBe(before)
	})

	it('refuses invalid UTF-8, NUL bytes and a 100 KB field with field messages', async () => {
		const client = foyer.client('acme')
		const cases = {
			'invalid UTF-8': rawBody({ email: Buffer.from([0xff, 0xfe, 0x40, 0x61]), password: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) }),
			'NUL bytes': rawBody({ email: 'ada\u0000@example.com', password: 'violet\u0000tractor moonlight 42' }),
			'100 KB': rawBody({ email: `${'a'.repeat(100_000)}@example.com`, password: 'p'.repeat(100_000) }),
		}
		for (const [label, body] of Object.entries(cases)) {
			const response = await client.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
			expect(response.status, label).toBe(400)
			await expectClientError(response, label)
		}
	})

	it('refuses missing fields, repeated fields and files in place of text', async () => {
		const client = foyer.client('acme')
		expect((await client.post(path, {})).status).toBe(400)
		expect((await client.post(path, { email: 'ada@example.com' })).status).toBe(400)
		const repeated = new URLSearchParams([['email', 'a@example.com'], ['email', 'b@example.com'], ['password', 'x']])
		const twice = await client.post(path, repeated)
		expect(twice.status).toBe(400)
		const form = new FormData()
		form.set('email', new Blob(['ada@example.com']), 'email.txt')
		form.set('password', new Blob(['violet tractor moonlight 42']), 'pw.txt')
		const multipart = await client.request(path, { method: 'POST', body: form })
		await expectClientError(multipart, 'files')
	})

	it('refuses bodies that are not forms', async () => {
		const client = foyer.client('acme')
		const json = await client.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c"}' })
		expect(json.status).toBe(415)
		const broken = await client.request(path, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=nope' }, body: '--wrong\r\ngarbage' })
		expect(broken.status).toBe(400)
		const none = await client.request(path, { method: 'POST', body: 'email=a' })
		expect(none.status).toBeGreaterThanOrEqual(400)
		expect(none.status).toBeLessThan(500)
	})
})

describe('the hidden redirectTo field', () => {
	it('never fails a form over a value the user cannot see: a bad one falls back to /account', async () => {
		for (const redirectTo of ['x'.repeat(5000), '//evil.example/steal', 'javascript:alert(1)', '\u0000']) {
			const client = foyer.client('acme')
			const email = `redirect-${Math.random().toString(36).slice(2)}@example.com`
			const started = new Date(Date.now() - 1000)
			const signup = await client.post('/signup', { email, password: PASSWORD, redirectTo })
			expect(signup.status, redirectTo.slice(0, 20)).toBe(302)
			const next = new URL(signup.headers.get('location')!, client.origin)
			expect(next.pathname).toBe('/verify')
			expect(next.searchParams.get('target')).toBe(email)
			// The bad value is not carried on: the code page leads to /account, or nowhere in particular.
			expect(next.searchParams.get('redirectTo') ?? '/account').toBe('/account')
			const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: started })
			const verified = await client.post('/verify', { intent: 'code', type: 'verify-email', target: email, code: codeFrom(mail.text), redirectTo })
			expect(verified.status, redirectTo.slice(0, 20)).toBe(302)
			expect(verified.headers.get('location')).toBe('/account')
			await client.post('/logout', {})
			const login = await client.post('/login', { email, password: PASSWORD, redirectTo })
			expect(login.status).toBe(302)
			expect(login.headers.get('location')).toBe('/account')
		}
	})
})

describe('duplicate sign-up', () => {
	it('answers a second sign-up exactly like a first, tells the owner by email, and keeps the first account intact', async () => {
		const email = `dup-${Date.now()}@example.com`
		await signUpVerified(foyer, 'acme', email)
		const [before] = await foyer.sql<{ hash: string }>('SELECT p.hash FROM "Password" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1', [email])
		const verifyEmails = () => foyer.sql('SELECT 1 FROM "OutboxEmail" WHERE "to" = $1 AND template = $2', [email, 'verify-email'])
		expect(await verifyEmails()).toHaveLength(1)

		const started = new Date()
		const client = foyer.client('acme')
		const duplicate = await client.post('/signup', { email: email.toUpperCase(), password: 'another long passphrase here' })
		// No enumeration: the same answer a new address gets, and nobody is signed in.
		const fresh = `dup-fresh-${Date.now()}@example.com`
		const newcomer = await foyer.client('acme').post('/signup', { email: fresh, password: 'another long passphrase here' })
		expect(duplicate.status).toBe(302)
		expect(newcomer.status).toBe(302)
		expect(duplicate.headers.get('location')).toBe(`/verify?${new URLSearchParams({ type: 'verify-email', target: email })}`)
		expect(newcomer.headers.get('location')).toBe(`/verify?${new URLSearchParams({ type: 'verify-email', target: fresh })}`)
		expect(duplicate.headers.getSetCookie()).toEqual(newcomer.headers.getSetCookie())
		expect(client.cookies().has('sid')).toBe(false)
		expect((await client.request('/account')).status).toBe(302)

		// The owner hears of it; no code that could sign anyone in is sent.
		const notice = await latestOutboxEmail(foyer, email, { template: 'account-exists', after: started })
		expect(notice.text).toContain('/login')
		expect(await verifyEmails()).toHaveLength(1)

		const [after] = await foyer.sql<{ hash: string }>('SELECT p.hash FROM "Password" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1', [email])
		expect(after).toEqual(before)
		expect(await foyer.sql('SELECT 1 FROM "User" WHERE email = $1', [email])).toHaveLength(1)
		expect((await foyer.client('acme').post('/login', { email, password: 'another long passphrase here' })).status).toBe(400)
		expect((await foyer.client('acme').post('/login', { email, password: PASSWORD })).status).toBe(302)
	})

	it('refuses weak passwords with the reason and creates nothing', async () => {
		const before = await userCount()
		const client = foyer.client('acme')
		const cases: [string, RegExp][] = [
			['short pass', /at least 15 characters/],
			['passwordpassword', /too common/i],
			['acmeacmeacmeacme1', /(organization|name|email|guess)/i],
		]
		for (const [password, message] of cases) {
			const response = await client.post('/signup', { email: `weak-${Date.now()}@example.com`, password })
			expect(response.status, password).toBe(400)
			expect(await response.text(), password).toMatch(message)
		}
		expect(await userCount()).toBe(before)
	})
})
