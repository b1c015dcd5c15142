import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type SoftAuthenticator } from '../setup/soft-authenticator'
import { cookieHeaderNow, passkeyHelpers, postJson, signedIn, signWithPasskey } from './passkeys.fixtures'

/**
 * Registering passkeys, managing them on /account/passkeys, and the org's passkeys setting, against
 * the built server with a software authenticator (test/setup/soft-authenticator.ts) producing real
 * attestations, so @simplewebauthn/server's verification runs for real. The server keeps challenges
 * in Redis. Signing in is in passkeys-sign-in.test.ts, malformed requests in passkeys-bad-input.test.ts.
 */
const redisUrl = inject('redisUrl')
const prefix = `foyer-test-${randomBytes(4).toString('hex')}:`
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } })
let redis: Redis

const { person, register, withPasskey, passkeyRow, events, latestSession } = passkeyHelpers(foyer)

beforeAll(async () => {
	redis = new Redis(redisUrl)
	for (const slug of ['globex', 'mfareq']) {
		const created = await foyer.cli(['orgs', 'create', '--name', slug, '--slug', slug, '--json'])
		expect(created.code, created.stderr).toBe(0)
	}
})

afterAll(async () => {
	if (!redis) return
	const keys = await redis.keys(`${prefix}*`)
	if (keys.length) await redis.del(...keys)
	await redis.quit()
})

describe('registering a passkey', () => {
	it('creates a discoverable credential for this host, stores it and audits it', async () => {
		const who = await person('acme', 'register')
		expect(await (await who.client.request('/account/passkeys')).text()).toContain('You have no passkeys yet.')
		const { creation, result } = await register(who, { name: 'Work laptop' })
		expect(creation.rp).toEqual({ name: 'Acme', id: 'acme.localhost' })
		expect(creation.user.name).toBe(who.email)
		expect(creation.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' })
		expect(creation.attestation).toBe('none')
		expect(result.status).toBe(200)
		expect(result.json).toMatchObject({ passkey: { name: 'Work laptop' }, redirectTo: '/account/passkeys' })

		const credential = who.authenticator.credentials[0]!
		const row = await passkeyRow(credential.id)
		expect(row).toMatchObject({ rpId: 'acme.localhost', counter: '0', name: 'Work laptop', transports: ['internal'], deviceType: 'singleDevice', lastUsedAt: null })
		const [event] = await events('mfa.passkey_registered', { actorEmail: who.email })
		expect(event).toMatchObject({ targetId: row!.id, org: 'acme', data: { name: 'Work laptop', rpId: 'acme.localhost' } })

		const page = await (await who.client.request('/account/passkeys')).text()
		expect(page.match(/data-testid="passkey"/g)).toHaveLength(1)
		expect(page).toContain('Work laptop')
		// The next registration excludes it, so the same authenticator is not registered twice.
		const again = await postJson(who.client, '/passkeys/registration-options', {}, who.ip)
		expect((again.json.options as { excludeCredentials: { id: string }[] }).excludeCredentials.map((c) => c.id)).toEqual([credential.id])
	})

	it('refuses a response for another origin, a spent challenge, or nobody signed in', async () => {
		const who = await person('acme', 'register-bad')
		const start = await postJson(who.client, '/passkeys/registration-options', {}, who.ip)
		const creation = start.json.options as Parameters<SoftAuthenticator['register']>[0]
		const foreign = who.authenticator.register(creation, foyer.origin('globex.localhost'))
		const cookie = cookieHeaderNow(who.client)
		expect((await postJson(who.client, '/passkeys/registration', { response: foreign }, who.ip)).status).toBe(400)
		// The challenge went with that attempt: a proper response for it is refused now.
		const proper = who.authenticator.register(creation, who.client.origin)
		const replay = await postJson(who.client, '/passkeys/registration', { response: proper }, who.ip, { cookie })
		expect(replay.status).toBe(400)
		expect(replay.json.error).toMatch(/expired or was already used/)
		expect(await foyer.sql('SELECT 1 FROM "Passkey" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1', [who.email])).toHaveLength(0)

		const anonymous = foyer.client('acme')
		const refused = await postJson(anonymous, '/passkeys/registration-options', {}, who.ip)
		expect(refused.status).toBe(401)
		expect(refused.json.redirectTo).toBe('/login?redirectTo=%2Faccount%2Fpasskeys')
	})

	it('asks for a recent sign-in first (403 with where to prove it)', async () => {
		const who = await person('acme', 'stale')
		await foyer.sql(`UPDATE "Session" s SET "createdAt" = now() - interval '11 minutes' FROM "User" u WHERE u.id = s."userId" AND u.email = $1`, [who.email])
		const refused = await postJson(who.client, '/passkeys/registration-options', {}, who.ip)
		expect(refused.status).toBe(403)
		expect(refused.json.redirectTo).toBe('/login?redirectTo=%2Faccount%2Fpasskeys&reauth=1&notice=step-up')
	})

	it('moves a user made to set up MFA to an aal2 session', async () => {
		const who = await person('mfareq', 'setup')
		const set = await foyer.cli(['orgs', 'set', '--org', 'mfareq', 'mfaPolicy=required', '--json'])
		expect(set.code, set.stderr).toBe(0)
		const browser = foyer.client('mfareq')
		await expect
			.poll(async () => (await browser.post('/login', { email: who.email, password: PASSWORD }, { headers: { 'x-forwarded-for': who.ip } })).headers.get('location'), { timeout: 5000 })
			.toBe('/account/security?setup=required&redirectTo=%2Faccount')
		expect((await latestSession(who.email))!.aal).toBe('aal1')
		const { result } = await register(who, { client: browser, redirectTo: '/account' })
		expect(result.status, JSON.stringify(result.json)).toBe(200)
		expect(result.json.redirectTo).toBe('/account')
		const session = await latestSession(who.email)
		expect(session).toMatchObject({ aal: 'aal2' })
		expect(session!.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']))
		expect(await signedIn(browser)).toBe(true)
	})
})

describe('managing passkeys', () => {
	it('renames and removes your own passkeys, audited; not anyone else’s', async () => {
		const who = await withPasskey('acme', 'manage')
		const row = (await passkeyRow(who.credential.id))!
		const rename = await who.client.post('/account/passkeys', { intent: 'rename', passkeyId: row.id, name: '  Phone  ' })
		expect(rename.status).toBe(302)
		expect(rename.headers.get('location')).toBe('/account/passkeys?notice=renamed')
		expect((await passkeyRow(who.credential.id))!.name).toBe('Phone')
		const [renamed] = await events('mfa.passkey_renamed', { actorEmail: who.email })
		expect(renamed).toMatchObject({ targetId: row.id, data: { from: row.name, to: 'Phone' } })
		for (const name of ['', '   ', 'x'.repeat(65), 'tab\there']) {
			expect((await who.client.post('/account/passkeys', { intent: 'rename', passkeyId: row.id, name })).status, JSON.stringify(name)).toBe(400)
		}

		// Another user of this org, and the same address in another org, cannot touch it.
		const other = await person('acme', 'other')
		const twin = await signUpVerified(foyer, 'globex', who.email)
		for (const client of [other.client, twin]) {
			expect((await client.post('/account/passkeys', { intent: 'rename', passkeyId: row.id, name: 'Mine now' })).status).toBe(404)
			expect((await client.post('/account/passkeys', { intent: 'remove', passkeyId: row.id })).status).toBe(404)
		}
		expect((await passkeyRow(who.credential.id))!.name).toBe('Phone')
		for (const fields of <Record<string, string>[]>[{ intent: 'remove' }, { intent: 'remove', passkeyId: "'; DROP TABLE" }, { intent: 'wipe', passkeyId: row.id }]) {
			expect((await who.client.post('/account/passkeys', fields)).status, JSON.stringify(fields)).toBe(400)
		}

		const remove = await who.client.post('/account/passkeys', { intent: 'remove', passkeyId: row.id })
		expect(remove.status).toBe(302)
		expect(remove.headers.get('location')).toBe('/account/passkeys?notice=removed')
		expect(await passkeyRow(who.credential.id)).toBeUndefined()
		const [removed] = await events('mfa.passkey_removed', { actorEmail: who.email })
		expect(removed).toMatchObject({ targetId: row.id, data: { name: 'Phone', rpId: 'acme.localhost' } })
		expect((await who.client.post('/account/passkeys', { intent: 'remove', passkeyId: row.id })).status).toBe(404)
		// A removed passkey signs in nobody.
		expect((await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { credential: who.credential } })).result.status).toBe(400)
	})
})

describe('the passkeys setting', () => {
	it('off: every passkey route is 404 and the login page offers none', async () => {
		const who = await withPasskey('globex', 'setting')
		const loginPage = async () => (await foyer.client('globex').request('/login')).text()
		expect(await loginPage()).toMatch(/autocomplete="username webauthn"/i)
		const set = await foyer.cli(['orgs', 'set', '--org', 'globex', 'passkeys=false', '--json'])
		expect(set.code, set.stderr).toBe(0)
		await expect.poll(async () => (await who.client.request('/account/passkeys')).status, { timeout: 5000 }).toBe(404)
		for (const path of ['/passkeys/registration-options', '/passkeys/registration', '/passkeys/authentication-options', '/passkeys/authentication']) {
			const answer = await postJson(who.client, path, { mode: 'sign-in' }, who.ip)
			expect(answer.status, path).toBe(404)
		}
		expect((await who.client.post('/account/passkeys', { intent: 'remove', passkeyId: 'c'.repeat(25) })).status).toBe(404)
		expect(await loginPage()).not.toMatch(/autocomplete="username webauthn"/i)
		// Nor does a password sign-in ask for the passkey as a second factor any more.
		const browser = foyer.client('globex')
		const login = await browser.post('/login', { email: who.email, password: PASSWORD }, { headers: { 'x-forwarded-for': who.ip } })
		expect(login.headers.get('location')).toBe('/account')
	})
})
