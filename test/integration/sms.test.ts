import http from 'node:http'
import { type AddressInfo } from 'node:net'
import { Headers, type RequestInit, type Response } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified } from '../setup/accounts'
import { runCli } from '../setup/foyer'
import { foyerPerFile } from '../setup/foyer-per-file'
import { Client } from '../setup/http'

/**
 * SMS as a second factor: /account/phone through the dev outbox, an org's HTTP gateway (a real
 * node:http server in this file), the `foyer sms` CLI, the org setting, org isolation and step-up.
 * Loopback gateways need FOYER_ALLOW_PRIVATE_URLS; one CLI run without it checks the refusal.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true', FOYER_ALLOW_PRIVATE_URLS: 'true' } })

let emails = 0
const uniqueEmail = (label: string) => `${label}-${++emails}-${Date.now()}@example.com`

/** Fictional-range US numbers (555-01xx), one per test so outbox lookups never mix. */
let phones = 10
function uniquePhone() {
	const n = String(phones++).padStart(2, '0')
	return { typed: `+1 (415) 555-01${n}`, e164: `+141555501${n}`, display: `+1 415 555 01${n}` }
}

let ips = 0
/** A cookie-jar browser coming from an IP of its own, so send limits of one test never touch another. */
class Browser extends Client {
	readonly ip = `10.7.${Math.floor(ips / 250)}.${(ips++ % 250) + 1}`

	override request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const headers = new Headers(init.headers as Record<string, string> | undefined)
		headers.set('x-forwarded-for', this.ip)
		return super.request(path, { ...init, headers })
	}
}

const browser = (slug: string) => new Browser(foyer.origin(`${slug}.localhost`))

async function newUser(label: string, slug = 'acme') {
	const email = uniqueEmail(label)
	const client = await signUpVerified(foyer, slug, email, PASSWORD, browser(slug))
	return { email, client }
}

const pendingPath = (e164: string, extra = '') => `/account/phone?pending=${encodeURIComponent(e164)}${extra}`

/** Asks for a code on /account/phone and returns it from the dev outbox. */
async function requestCode(client: Client, phone: { typed: string; e164: string }, slug = 'acme') {
	const since = new Date(Date.now() - 1000)
	const response = await client.post('/account/phone', { intent: 'send', phone: phone.typed })
	expect(response.status, await response.clone().text()).toBe(302)
	expect(response.headers.get('location')).toBe(pendingPath(phone.e164))
	const sms = await latestOutboxEmail(foyer, phone.e164, { template: 'sms', after: since, org: slug })
	return { sms, code: codeFrom(sms.text) }
}

async function verifiedPhone(email: string) {
	const [row] = await foyer.sql<{ phoneNumber: string; verifiedAt: Date | null }>(
		'SELECT p."phoneNumber", p."verifiedAt" FROM "PhoneFactor" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1',
		[email],
	)
	return row ?? null
}

async function auditEvents(email: string, type: string) {
	return foyer.sql<{ data: Record<string, unknown> }>(
		'SELECT e.data FROM "AuditEvent" e JOIN "User" u ON u.id = e."targetId" WHERE u.email = $1 AND e.type = $2 ORDER BY e.seq',
		[email, type],
	)
}

async function smsCount(e164: string) {
	const [row] = await foyer.sql<{ count: string }>(`SELECT count(*) FROM "OutboxEmail" WHERE "to" = $1 AND template = 'sms'`, [e164])
	return Number(row!.count)
}

async function ageSessions(email: string) {
	await foyer.sql(`UPDATE "Session" SET "createdAt" = now() - interval '11 minutes' WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`, [email])
}

/** Each CLI call boots Foyer in a process of its own. */
const SLOW = { timeout: 240_000 }

// An in-test SMS gateway: records every request and answers with `gatewayStatus`.
type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
const received: Received[] = []
let gatewayStatus = 200
const gateway = http.createServer((req, res) => {
	let body = ''
	req.setEncoding('utf8')
	req.on('data', (chunk: string) => (body += chunk))
	req.on('end', () => {
		received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
		res.writeHead(gatewayStatus, { 'content-type': 'application/json' })
		res.end(gatewayStatus < 300 ? '{"queued":true}' : '{"error":"upstream exploded: internal-gateway-detail"}')
	})
})
let gatewayUrl = ''

beforeAll(async () => {
	await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve))
	gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`
	for (const args of [
		['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--json'],
		['orgs', 'create', '--name', 'Initech', '--slug', 'initech', '--json'],
	]) {
		const run = await foyer.cli(args)
		expect(run.code, run.stderr).toBe(0)
	}
}, 240_000)

afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())))

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

describe('an org HTTP gateway and `foyer sms`', SLOW, () => {
	it('rejects bad usage (2) and fixable errors (1), and refuses loopback unless the operator allows it', async () => {
		const missingUrl = await foyer.cli(['sms', 'set', '--org', 'globex'])
		expect(missingUrl.code).toBe(2)
		expect(missingUrl.stderr).toContain('missing --url')
		const unknownFlag = await foyer.cli(['sms', 'show', '--org', 'globex', '--secret'])
		expect(unknownFlag.code).toBe(2)
		const badTemplate = await foyer.cli(['sms', 'set', '--org', 'globex', '--url', gatewayUrl, '--body-template', '{"to": {{to}}, "body": "{{body}}"}', '--json'])
		expect(badTemplate.code).toBe(1)
		expect(badTemplate.json?.['error']).toMatch(/not valid JSON/)
		const unknownOrg = await foyer.cli(['sms', 'show', '--org', 'nope'])
		expect(unknownOrg.code).toBe(1)

		const strict = await runCli(['sms', 'set', '--org', 'globex', '--url', gatewayUrl, '--json'], {
			...process.env,
			DATABASE_URL: foyer.databaseUrl,
			FOYER_DATA_DIR: foyer.dataDir,
			FOYER_ALLOW_PRIVATE_URLS: 'false',
			LOG_LEVEL: 'warn',
		})
		expect(strict.code).toBe(1)
		expect(strict.stderr).toContain('private or loopback')
		expect(await foyer.sql('SELECT 1 FROM "SmsProvider"')).toHaveLength(0)
	})

	it('POSTs each text to the gateway with its Authorization header; a gateway failure is a clear message and leaves nothing half-written', async () => {
		const set = await foyer.cli(['sms', 'set', '--org', 'globex', '--url', gatewayUrl, '--auth-header', 'Bearer s3cret-token', '--json'])
		expect(set.code, set.stderr).toBe(0)
		expect(set.json).toMatchObject({ ok: true, org: 'globex', smsProvider: { url: gatewayUrl, hasAuthHeader: true, contentType: 'application/json' } })
		expect(set.stdout).not.toContain('s3cret')
		const show = await foyer.cli(['sms', 'show', '--org', 'globex', '--json'])
		expect(show.code).toBe(0)
		expect(show.json).toMatchObject({ org: 'globex', smsProvider: { url: gatewayUrl, hasAuthHeader: true } })
		expect(show.stdout).not.toContain('s3cret')
		const [row] = await foyer.sql<{ authHeaderEncrypted: string }>('SELECT "authHeaderEncrypted" FROM "SmsProvider"')
		expect(row?.authHeaderEncrypted).not.toContain('s3cret')

		const { email, client } = await newUser('gateway', 'globex')
		const phone = uniquePhone()
		received.length = 0
		const sent = await client.post('/account/phone', { intent: 'send', phone: phone.typed })
		expect(sent.status, await sent.clone().text()).toBe(302)
		expect(received).toHaveLength(1)
		const [request] = received
		expect(request!.method).toBe('POST')
		expect(request!.url).toBe('/send')
		expect(request!.headers['authorization']).toBe('Bearer s3cret-token')
		expect(request!.headers['content-type']).toBe('application/json')
		const body = JSON.parse(request!.body) as { to: string; body: string }
		expect(Object.keys(body)).toEqual(['to', 'body'])
		expect(body.to).toBe(phone.e164)
		const code = codeFrom(body.body)
		expect(body.body).toBe(`${code} is your Globex code. Don't share it.\n\n@globex.localhost #${code}`)
		expect(await smsCount(phone.e164)).toBe(0)
		expect((await client.post(pendingPath(phone.e164), { intent: 'verify', phone: phone.e164, code })).status).toBe(302)

		gatewayStatus = 500
		try {
			const other = uniquePhone()
			const addedBefore = (await auditEvents(email, 'mfa.phone_added')).length
			const failed = await client.post('/account/phone', { intent: 'send', phone: other.typed })
			expect(failed.status).toBe(502)
			const html = await failed.text()
			expect(html).toContain('couldn&#x27;t send a text message')
			expect(html).not.toContain('upstream exploded')
			expect(html).not.toContain('internal-gateway-detail')
			expect(await foyer.sql('SELECT 1 FROM "Verification" WHERE target = $1', [other.e164])).toHaveLength(0)
			expect(await auditEvents(email, 'mfa.phone_added')).toHaveLength(addedBefore)
			expect((await verifiedPhone(email))?.phoneNumber).toBe(phone.e164)
			expect(foyer.output()).toContain('SMS gateway answered 500')
		} finally {
			gatewayStatus = 200
		}
	})

	it('sends a form body URL-encoded, and `sms clear` goes back to the dev outbox', async () => {
		const set = await foyer.cli(['sms', 'set', '--org', 'globex', '--url', gatewayUrl, '--content-type', 'application/x-www-form-urlencoded', '--json'])
		expect(set.code, set.stderr).toBe(0)
		// The header set before stays when --auth-header is not given.
		expect(set.json).toMatchObject({ smsProvider: { hasAuthHeader: true, bodyTemplate: 'to={{to}}&body={{body}}' } })

		const { client } = await newUser('form', 'globex')
		const phone = uniquePhone()
		received.length = 0
		expect((await client.post('/account/phone', { intent: 'send', phone: phone.typed })).status).toBe(302)
		expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded')
		const form = new URLSearchParams(received[0]!.body)
		expect(form.get('to')).toBe(phone.e164)
		expect(form.get('body')).toContain("is your Globex code. Don't share it.")

		// `--auth-header -` takes the secret from standard input (out of shell history); nothing piped is an error.
		const cliEnv = { ...process.env, DATABASE_URL: foyer.databaseUrl, FOYER_DATA_DIR: foyer.dataDir, FOYER_ALLOW_PRIVATE_URLS: 'true', LOG_LEVEL: 'warn' }
		const empty = await runCli(['sms', 'set', '--org', 'globex', '--url', gatewayUrl, '--auth-header', '-', '--json'], cliEnv, '')
		expect(empty.code).toBe(1)
		expect(empty.stderr + empty.stdout).toContain('nothing was read from standard input')
		const piped = await runCli(['sms', 'set', '--org', 'globex', '--url', gatewayUrl, '--auth-header', '-', '--json'], cliEnv, 'Bearer piped-token\n')
		expect(piped.code, piped.stderr).toBe(0)
		received.length = 0
		expect((await client.post('/account/phone', { intent: 'send', phone: uniquePhone().typed })).status).toBe(302)
		expect(received[0]?.headers['authorization']).toBe('Bearer piped-token')

		const cleared = await foyer.cli(['sms', 'clear', '--org', 'globex', '--json'])
		expect(cleared.code, cleared.stderr).toBe(0)
		expect(cleared.json).toEqual({ ok: true, org: 'globex', cleared: true })
		const show = await foyer.cli(['sms', 'show', '--org', 'globex', '--json'])
		expect(show.json).toEqual({ org: 'globex', smsProvider: null })
		const changes = await foyer.sql<{ data: { action: string } }>(
			`SELECT e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'globex' AND e.type = 'org.sms_provider_changed' ORDER BY e.seq`,
		)
		expect(changes.map((event) => event.data.action)).toEqual(['set', 'set', 'set', 'clear'])

		const local = uniquePhone()
		received.length = 0
		await requestCode(client, local, 'globex')
		expect(received).toHaveLength(0)
	})
})

describe('the smsSecondFactor setting', SLOW, () => {
	it('off: the phone page is not found, for visitors and users alike', async () => {
		const { client } = await newUser('setting', 'initech')
		expect((await client.request('/account/phone')).status).toBe(200)
		const off = await foyer.cli(['orgs', 'set', '--org', 'initech', 'smsSecondFactor=false', '--json'])
		expect(off.code, off.stderr).toBe(0)
		await expect.poll(async () => (await client.request('/account/phone')).status, { timeout: 3000, interval: 50 }).toBe(404)
		expect((await client.post('/account/phone', { intent: 'send', phone: uniquePhone().typed })).status).toBe(404)
		expect((await browser('initech').request('/account/phone')).status).toBe(404)
		expect((await browser('acme').request('/account/phone')).status).toBe(302)
	})
})
