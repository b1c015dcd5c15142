import { beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { pendingPath, smsHelpers, uniquePhone } from './sms.fixtures'

/**
 * SMS as a second factor on /account/phone, through the dev outbox: adding, verifying, changing
 * and removing a number, bad input, step-up for an old session, and org isolation. The org's HTTP
 * gateway, the `foyer sms` CLI and the org setting are in sms-gateway.test.ts.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { browser, newUser, requestCode, verifiedPhone, auditEvents, smsCount, ageSessions } = smsHelpers(foyer)

beforeAll(async () => {
	const run = await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--json'])
	expect(run.code, run.stderr).toBe(0)
}, 240_000)

describe('/account/phone with the dev outbox', () => {
	it('adds a number, texts a code, and verifying it makes the phone a factor and the session aal2', async () => {
		const { email, client } = await newUser('add')
		const page = await client.request('/account/phone')
		expect(page.status).toBe(200)
		expect(await page.text()).toContain('Phone number')

		const phone = uniquePhone()
		const { sms, code } = await requestCode(client, phone)
		expect((sms as typeof sms & { from: string }).from).toBe('SMS')
		expect(sms.subject).toBe(`Text message to ${phone.e164}`)
		expect(sms.text).toBe(`${code} is your Acme code. Don't share it.\n\n@acme.localhost #${code}`)
		expect(sms.html).toBe(`<pre>${code} is your Acme code. Don&#39;t share it.\n\n@acme.localhost #${code}</pre>`)
		expect(await verifiedPhone(email)).toBeNull()
		expect(foyer.output()).not.toContain(code)

		const codePage = await client.request(pendingPath(phone.e164))
		expect(codePage.status).toBe(200)
		const codeHtml = await codePage.text()
		expect(codeHtml).toMatch(/<label[^>]*>Code<\/label>/)
		expect(codeHtml).toContain(phone.display)

		const verify = await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })
		expect(verify.status).toBe(302)
		expect(verify.headers.get('location')).toBe('/account/security')
		expect(verify.headers.getSetCookie().length).toBeGreaterThan(0)
		const stored = await verifiedPhone(email)
		expect(stored?.phoneNumber).toBe(phone.e164)
		expect(stored?.verifiedAt).toBeInstanceOf(Date)

		const [session] = await foyer.sql<{ aal: string; amr: string[] }>(
			`SELECT s.aal, s.amr FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC LIMIT 1`,
			[email],
		)
		expect(session?.aal).toBe('aal2')
		expect(session?.amr).toContain('sms')

		const after = await client.request('/account/phone')
		expect(after.status).toBe(200)
		expect(await after.text()).toContain(phone.display)
		expect((await auditEvents(email, 'mfa.phone_added')).map((e) => e.data['phone'])).toEqual([`…${phone.e164.slice(-4)}`])
		expect(await auditEvents(email, 'mfa.phone_verified')).toHaveLength(1)

		// The code is spent: the same one again is refused.
		const again = await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })
		expect(again.status).toBe(400)
	})

	it('goes on to a same-site redirectTo after verifying, never to another site', async () => {
		const { client } = await newUser('redirect')
		const phone = uniquePhone()
		await requestCode(client, phone)
		const sms = await latestOutboxEmail(foyer, phone.e164, { template: 'sms', org: 'acme' })
		const verify = await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code: codeFrom(sms.text), redirectTo: '/account/sessions' })
		expect(verify.status).toBe(302)
		expect(verify.headers.get('location')).toBe('/account/sessions')

		const other = uniquePhone()
		const sent = await client.post('/account/phone', { intent: 'send', phone: other.typed, redirectTo: '//evil.example' })
		expect(sent.status).toBe(302)
		expect(sent.headers.get('location')).toBe(pendingPath(other.e164))
	})

	it('answers a wrong code with 400 and a field message, garbage never with a 500, and the right code still works', async () => {
		const { email, client } = await newUser('wrong')
		const phone = uniquePhone()
		const { code } = await requestCode(client, phone)
		const wrong = code === '111111' ? '222222' : '111111'

		const response = await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code: wrong })
		expect(response.status).toBe(400)
		const html = await response.text()
		expect(html).toContain('That code is not valid. Check the newest text message, or send a new code.')
		expect(html).toContain('aria-invalid')

		const garbage: [string, Record<string, string> | URLSearchParams][] = [
			['letters', { intent: 'verify', phone: phone.e164, code: 'abcdef' }],
			['huge code', { intent: 'verify', phone: phone.e164, code: '9'.repeat(10_000) }],
			['no code', { intent: 'verify', phone: phone.e164 }],
			['no phone', { intent: 'verify', code }],
			['bad phone', { intent: 'verify', phone: '<script>', code }],
			['no intent', { phone: phone.typed }],
			['unknown intent', { intent: 'drop-tables', phone: phone.typed }],
			['repeated fields', new URLSearchParams([['intent', 'verify'], ['phone', phone.e164], ['code', wrong], ['code', wrong]])],
		]
		for (const [label, fields] of garbage) {
			const answer = await client.post(pendingPath(phone.e164), fields)
			expect(answer.status, label).toBeGreaterThanOrEqual(400)
			expect(answer.status, label).toBeLessThan(500)
		}
		const json = await client.request('/account/phone', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"intent":"verify"}' })
		expect(json.status).toBe(415)

		const failures = (await auditEvents(email, 'mfa.failed')).map((e) => e.data)
		expect(failures).toContainEqual({ method: 'sms', reason: 'wrong' })
		expect(failures).toContainEqual({ method: 'sms', reason: 'malformed' })
		expect(await verifiedPhone(email)).toBeNull()

		const right = await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })
		expect(right.status).toBe(302)
		expect((await verifiedPhone(email))?.phoneNumber).toBe(phone.e164)
	})

	it('refuses bad numbers with 400 and a field message, and texts nobody', async () => {
		const { client } = await newUser('bad-number')
		const cases: [string, RegExp][] = [
			['4155550123', /\+ and the country code/],
			['+1 415 555 0123 4567 8910 1112 1314 15', /too long/],
			['+1 415 CALL NOW', /only digits/],
			['+1234', /not a valid phone number/],
			['', /Enter a phone number/],
		]
		for (const [typed, message] of cases) {
			const response = await client.post('/account/phone', { intent: 'send', phone: typed })
			expect(response.status, typed).toBe(400)
			expect(await response.text(), typed).toMatch(message)
		}
		expect(await smsCount('+14155550123')).toBe(0)
	})

	it('changes the number (the old one works until the new one is verified) and removes it', async () => {
		const { email, client } = await newUser('change')
		const first = uniquePhone()
		const { code } = await requestCode(client, first)
		expect((await client.post(pendingPath(first.e164), { intent: 'verify', phone: first.e164, code })).status).toBe(302)

		const same = await client.post('/account/phone', { intent: 'send', phone: first.typed })
		expect(same.status).toBe(400)
		expect(await same.text()).toContain('already your verified number')

		const second = uniquePhone()
		const next = await requestCode(client, second)
		expect((await verifiedPhone(email))?.phoneNumber).toBe(first.e164)
		expect((await client.post(pendingPath(second.e164), { intent: 'verify', phone: second.e164, code: next.code })).status).toBe(302)
		expect((await verifiedPhone(email))?.phoneNumber).toBe(second.e164)
		expect((await auditEvents(email, 'mfa.phone_verified')).at(-1)?.data).toEqual({ phone: `…${second.e164.slice(-4)}`, replaced: `…${first.e164.slice(-4)}` })

		const removed = await client.post('/account/phone', { intent: 'remove' })
		expect(removed.status).toBe(302)
		expect(removed.headers.get('location')).toBe('/account/phone?notice=removed')
		expect(await verifiedPhone(email)).toBeNull()
		expect(await auditEvents(email, 'mfa.phone_removed')).toHaveLength(1)
		expect(await (await client.request('/account/phone?notice=removed')).text()).toContain('Your phone number was removed.')
	})
})

describe('step-up', () => {
	it('sends a session older than 10 minutes to sign in again, and texts nothing', async () => {
		const { email, client } = await newUser('stale')
		await ageSessions(email)
		const page = await client.request('/account/phone')
		expect(page.status).toBe(302)
		const location = new URL(page.headers.get('location')!, 'http://x')
		expect(location.pathname).toBe('/login')
		expect(location.searchParams.get('reauth')).toBe('1')
		expect(location.searchParams.get('redirectTo')).toBe('/account/phone')

		const phone = uniquePhone()
		const post = await client.post('/account/phone', { intent: 'send', phone: phone.typed })
		expect(post.status).toBe(302)
		expect(new URL(post.headers.get('location')!, 'http://x').pathname).toBe('/login')
		expect(await smsCount(phone.e164)).toBe(0)
	})

	it('asks a user with a verified phone for a second factor instead', async () => {
		const { email, client } = await newUser('stale-mfa')
		const phone = uniquePhone()
		const { code } = await requestCode(client, phone)
		expect((await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })).status).toBe(302)
		await ageSessions(email)
		const remove = await client.post('/account/phone', { intent: 'remove' })
		expect(remove.status).toBe(302)
		expect(remove.headers.get('location')).toBe(`/login/mfa?${new URLSearchParams({ redirectTo: '/account/phone' })}`)
		expect((await verifiedPhone(email))?.phoneNumber).toBe(phone.e164)
	})
})

describe('org isolation', () => {
	it("an acme session is nobody on globex's phone page, and acme's codes mean nothing there", async () => {
		const acme = await newUser('iso-acme')
		const phone = uniquePhone()
		const { code } = await requestCode(acme.client, phone)

		const cookie = [...acme.client.cookies('acme.localhost')].map(([name, value]) => `${name}=${value}`).join('; ')
		const foreign = await browser('globex').request('/account/phone', { headers: { cookie } })
		expect(foreign.status).toBe(302)
		expect(new URL(foreign.headers.get('location')!, 'http://x').pathname).toBe('/login')

		const globex = await newUser('iso-globex', 'globex')
		const stolen = await globex.client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })
		expect(stolen.status).toBe(400)
		expect(await verifiedPhone(globex.email)).toBeNull()
		// Still good where it was sent.
		expect((await acme.client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })).status).toBe(302)
	})
})
