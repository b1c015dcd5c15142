import http from 'node:http'
import { type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeFrom } from '../setup/accounts'
import { runCli } from '../setup/foyer'
import { foyerPerFile } from '../setup/foyer-per-file'
import { pendingPath, SLOW, smsHelpers, uniquePhone } from './sms.fixtures'

/**
 * SMS through an org's HTTP gateway (a real node:http server in this file), configured with the
 * `foyer sms` CLI, and the org's smsSecondFactor setting. Loopback gateways need
 * FOYER_ALLOW_PRIVATE_URLS; one CLI run without it checks the refusal. /account/phone with the
 * dev outbox, step-up and org isolation are in sms-phone.test.ts.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true', FOYER_ALLOW_PRIVATE_URLS: 'true' } })
const { browser, newUser, requestCode, verifiedPhone, auditEvents, smsCount } = smsHelpers(foyer)

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
