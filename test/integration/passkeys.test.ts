import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { SoftAuthenticator } from '../setup/soft-authenticator'

/**
 * Passkeys against the built server, with a software authenticator (test/setup/soft-authenticator.ts)
 * producing real attestations and signed assertions, so @simplewebauthn/server's verification runs
 * for real. The server keeps challenges in Redis (GETDEL), which lets these tests expire one.
 */
const redisUrl = inject('redisUrl')
const prefix = `foyer-test-${randomBytes(4).toString('hex')}:`
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } })
let redis: Redis

let counter = 0
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`
/** An address of each test's own, so per-IP and `passkey:<ip>` throttle counts never mix between tests. */
const newIp = () => `10.${counter++ % 250}.${randomBytes(1)[0]}.${(randomBytes(1)[0]! % 250) + 1}`

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

type Json = Record<string, unknown> & { error?: string; redirectTo?: string }

async function postJson(client: Client, path: string, body: unknown, ip: string, init: { cookie?: string; raw?: string; contentType?: string } = {}) {
	const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json', 'x-forwarded-for': ip }
	if (init.cookie !== undefined) headers.cookie = init.cookie
	const response = await client.request(path, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) })
	const text = await response.text()
	let json: Json = {}
	try {
		json = JSON.parse(text) as Json
	} catch {
		json = { text }
	}
	return { status: response.status, json, headers: response.headers }
}

/** A test's person: their browser (cookie jar), their authenticator and their address. */
type Person = { email: string; client: Client; authenticator: SoftAuthenticator; ip: string }

async function person(slug: string, label: string): Promise<Person> {
	const email = uniqueEmail(label)
	return { email, client: await signUpVerified(foyer, slug, email), authenticator: new SoftAuthenticator(), ip: newIp() }
}

async function register(who: Person, options: { name?: string; redirectTo?: string; client?: Client } = {}) {
	const client = options.client ?? who.client
	const start = await postJson(client, '/passkeys/registration-options', {}, who.ip)
	expect(start.status, JSON.stringify(start.json)).toBe(200)
	const creation = start.json.options as Parameters<SoftAuthenticator['register']>[0]
	const response = who.authenticator.register(creation, client.origin)
	return { creation, result: await postJson(client, '/passkeys/registration', { response, name: options.name, redirectTo: options.redirectTo }, who.ip) }
}

async function withPasskey(slug: string, label: string) {
	const who = await person(slug, label)
	const { result } = await register(who)
	expect(result.status, JSON.stringify(result.json)).toBe(200)
	return { ...who, credential: who.authenticator.credentials[0]! }
}

type Bend = Parameters<SoftAuthenticator['assert']>[2]

/** Options, the authenticator's assertion, and the answer: one passkey sign-in or second factor. */
async function signWithPasskey(
	client: Client,
	authenticator: SoftAuthenticator,
	ip: string,
	options: { mode?: 'sign-in' | 'second-factor'; redirectTo?: string; bend?: Bend } = {},
) {
	const mode = options.mode ?? 'sign-in'
	const start = await postJson(client, '/passkeys/authentication-options', { mode, redirectTo: options.redirectTo }, ip)
	expect(start.status, JSON.stringify(start.json)).toBe(200)
	const request = start.json.options as Parameters<SoftAuthenticator['assert']>[0]
	const response = authenticator.assert(request, client.origin, options.bend)
	const result = await postJson(client, '/passkeys/authentication', { mode, response, redirectTo: options.redirectTo }, ip)
	return { request, response, result }
}

const signedIn = async (client: Client) => (await client.request('/account')).status === 200

async function passkeyRow(credentialId: string) {
	const [row] = await foyer.sql<{ id: string; organizationId: string; rpId: string; counter: string; name: string; transports: string[]; deviceType: string; lastUsedAt: Date | null }>(
		'SELECT id, "organizationId", "rpId", counter::text, name, transports, "deviceType", "lastUsedAt" FROM "Passkey" WHERE "credentialId" = $1',
		[credentialId],
	)
	return row
}

async function events(type: string, where: { actorEmail?: string; slug?: string } = {}) {
	return foyer.sql<{ data: Record<string, unknown>; targetId: string | null; org: string }>(
		`SELECT e.data, e."targetId", o.slug AS org FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId"
		LEFT JOIN "User" u ON u.id = e."actorId"
		WHERE e.type = $1 AND ($2::text IS NULL OR u.email = $2) AND ($3::text IS NULL OR o.slug = $3) ORDER BY e.seq`,
		[type, where.actorEmail ?? null, where.slug ?? null],
	)
}

async function latestSession(email: string) {
	const [row] = await foyer.sql<{ aal: string; amr: string[] }>(
		`SELECT s.aal, s.amr FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC LIMIT 1`,
		[email],
	)
	return row
}

/** Every cookie the client holds now, with its challenge cookie, as a Cookie header (to replay it later). */
function cookieHeaderNow(client: Client) {
	const jar = client.cookies()
	if (!jar.has('passkey')) throw new Error('no passkey challenge cookie')
	return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

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

describe('signing in with a passkey', () => {
	it('signs in without a password: a discoverable credential, an aal2 session, the counter kept', async () => {
		const who = await withPasskey('acme', 'passwordless')
		const browser = foyer.client('acme')
		const { request, result } = await signWithPasskey(browser, who.authenticator, who.ip, { redirectTo: '/account/sessions' })
		expect(request.rpId).toBe('acme.localhost')
		expect(request.allowCredentials ?? []).toEqual([])
		expect(request.userVerification).toBe('required')
		expect(result.status, JSON.stringify(result.json)).toBe(200)
		expect(result.json).toEqual({ redirectTo: '/account/sessions' })
		expect(browser.cookies().has('passkey')).toBe(false)
		expect(await signedIn(browser)).toBe(true)
		const session = await latestSession(who.email)
		expect(session!.aal).toBe('aal2')
		expect(session!.amr).toEqual(expect.arrayContaining(['hwk', 'user', 'mfa']))
		const row = await passkeyRow(who.credential.id)
		expect(row!.counter).toBe('1')
		expect(row!.lastUsedAt).not.toBeNull()
		const signIns = await events('user.signed_in', { actorEmail: who.email })
		expect(signIns.at(-1)!.data).toMatchObject({ method: 'passkey', aal: 'aal2' })

		// A counter that does not grow is a cloned or replayed authenticator: refused, and audited.
		const stale = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { counter: 1 } })
		expect(stale.result.status).toBe(400)
		const grown = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { counter: 7 } })
		expect(grown.result.status).toBe(200)
		expect((await passkeyRow(who.credential.id))!.counter).toBe('7')
		const failures = await events('user.sign_in_failed', { actorEmail: who.email })
		expect(failures.map((event) => event.data)).toEqual([expect.objectContaining({ method: 'passkey', reason: 'counter_not_increased' })])
	})

	it('requires user verification for a passwordless sign-in', async () => {
		const who = await withPasskey('acme', 'no-uv')
		const { result } = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { userVerified: false } })
		expect(result.status).toBe(400)
		expect((await events('user.sign_in_failed', { actorEmail: who.email }))[0]!.data).toMatchObject({ method: 'passkey', reason: 'user_not_verified' })
	})

	it('is the second factor after a password', async () => {
		const who = await withPasskey('acme', 'second-factor')
		const browser = foyer.client('acme')
		const login = await browser.post('/login', { email: who.email, password: PASSWORD }, { headers: { 'x-forwarded-for': who.ip } })
		expect(login.status).toBe(302)
		expect(login.headers.get('location')).toBe('/login/mfa')
		expect(await signedIn(browser)).toBe(false)

		// Someone else's passkey (here, the intruder's own) does not pass for this user.
		const intruder = await withPasskey('acme', 'intruder')
		const wrong = await signWithPasskey(browser, intruder.authenticator, who.ip, { mode: 'second-factor', bend: { credential: intruder.credential } })
		expect(wrong.result.status).toBe(400)
		const [failed] = await events('mfa.failed', { actorEmail: who.email })
		expect(failed!.data).toEqual({ method: 'passkey', reason: 'not_this_users_passkey' })
		expect(await signedIn(browser)).toBe(false)

		const { request, result } = await signWithPasskey(browser, who.authenticator, who.ip, { mode: 'second-factor' })
		expect(request.allowCredentials?.map((credential) => credential.id)).toEqual([who.credential.id])
		expect(result.status, JSON.stringify(result.json)).toBe(200)
		expect(result.json.redirectTo).toBe('/account')
		expect(await signedIn(browser)).toBe(true)
		const session = await latestSession(who.email)
		expect(session!.aal).toBe('aal2')
		expect(session!.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']))

		const nobody = await postJson(foyer.client('acme'), '/passkeys/authentication-options', { mode: 'second-factor' }, who.ip)
		expect(nobody.status).toBe(401)
		expect(nobody.json.redirectTo).toBe('/login')
	})

	it('works only on the org and host it was made for', async () => {
		const who = await withPasskey('acme', 'cross-org')
		// The same address has accounts in the other orgs too: still no way in with acme's passkey.
		const operatorTwin = await signUpVerified(foyer, 'operator', who.email)
		const globexTwin = await signUpVerified(foyer, 'globex', who.email)
		expect(await signedIn(operatorTwin)).toBe(true)
		expect(await signedIn(globexTwin)).toBe(true)
		for (const slug of ['operator', 'globex']) {
			const browser = foyer.client(slug)
			// As the authenticator would sign it (for acme's RP ID), and as a forger would claim (this host's).
			for (const rpId of [undefined, new URL(browser.origin).hostname]) {
				const attempt = await signWithPasskey(browser, who.authenticator, who.ip, { bend: { credential: who.credential, rpId: rpId ?? 'acme.localhost' } })
				expect(attempt.result.status, `${slug} ${rpId ?? 'acme.localhost'}`).toBe(400)
				expect(attempt.request.rpId).toBe(new URL(browser.origin).hostname)
			}
			expect(await signedIn(browser)).toBe(false)
			const refusals = await events('user.sign_in_failed', { slug })
			expect(refusals.filter((event) => event.data.method === 'passkey').map((event) => event.data.reason)).toEqual(['unknown_credential', 'unknown_credential'])
		}
		// On acme, an assertion made for another origin (a phishing page relaying it) is refused too.
		const relayed = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { origin: foyer.origin('globex.localhost') } })
		expect(relayed.result.status).toBe(400)
		const forged = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { credential: who.credential, rpId: 'globex.localhost' } })
		expect(forged.result.status).toBe(400)
		expect((await events('user.sign_in_failed', { actorEmail: who.email, slug: 'acme' })).map((event) => event.data.reason)).toEqual(['wrong_origin', 'wrong_rp_id'])
	})
})

describe('challenges', () => {
	it('are single-use, even for two requests racing with one response', async () => {
		const who = await withPasskey('acme', 'replay')
		const browser = foyer.client('acme')
		const start = await postJson(browser, '/passkeys/authentication-options', { mode: 'sign-in' }, who.ip)
		const cookie = cookieHeaderNow(browser)
		const response = who.authenticator.assert(start.json.options as Parameters<SoftAuthenticator['assert']>[0], browser.origin)
		const body = { mode: 'sign-in', response }
		const raced = await Promise.all([1, 2].map(() => postJson(foyer.client('acme'), '/passkeys/authentication', body, who.ip, { cookie })))
		expect(raced.map((answer) => answer.status).sort()).toEqual([200, 400])
		const replay = await postJson(foyer.client('acme'), '/passkeys/authentication', body, who.ip, { cookie })
		expect(replay.status).toBe(400)
		expect(replay.json.error).toMatch(/expired or was already used/)
	})

	it('expire after five minutes', async () => {
		const who = await withPasskey('acme', 'expired')
		const browser = foyer.client('acme')
		for (const expire of ['rewrite', 'ttl'] as const) {
			const before = new Set(await redis.keys(`${prefix}passkey-challenge:*`))
			const start = await postJson(browser, '/passkeys/authentication-options', { mode: 'sign-in' }, who.ip)
			const keys = (await redis.keys(`${prefix}passkey-challenge:*`)).filter((key) => !before.has(key))
			expect(keys).toHaveLength(1)
			const key = keys[0]!
			expect(await redis.ttl(key)).toBeGreaterThan(290)
			expect(await redis.ttl(key)).toBeLessThanOrEqual(300)
			if (expire === 'rewrite') {
				// Issued five minutes ago: past its expiry even if Redis still held it.
				const stored = JSON.parse((await redis.get(key))!) as { expiresAt: number }
				await redis.set(key, JSON.stringify({ ...stored, expiresAt: Date.now() - 1 }), 'KEEPTTL')
			} else {
				await redis.pexpire(key, 1)
				await new Promise((resolve) => setTimeout(resolve, 20))
			}
			const response = who.authenticator.assert(start.json.options as Parameters<SoftAuthenticator['assert']>[0], browser.origin)
			const answer = await postJson(browser, '/passkeys/authentication', { mode: 'sign-in', response }, who.ip)
			expect(answer.status, expire).toBe(400)
			expect(answer.json.error).toMatch(/expired or was already used/)
			expect(await redis.exists(key)).toBe(0)
		}
		expect(await signedIn(browser)).toBe(false)
	})

	it("belong to the browser that asked, and to what it asked for", async () => {
		const who = await withPasskey('acme', 'foreign')
		const mine = foyer.client('acme')
		const theirs = foyer.client('acme')
		await postJson(mine, '/passkeys/authentication-options', { mode: 'sign-in' }, who.ip)
		const other = await postJson(theirs, '/passkeys/authentication-options', { mode: 'sign-in' }, who.ip)
		// Their challenge, signed, sent with my cookie: not the challenge my cookie names.
		const signedForOther = who.authenticator.assert(other.json.options as Parameters<SoftAuthenticator['assert']>[0], mine.origin)
		expect((await postJson(mine, '/passkeys/authentication', { mode: 'sign-in', response: signedForOther }, who.ip)).status).toBe(400)
		// No cookie at all.
		const noCookie = await postJson(foyer.client('acme'), '/passkeys/authentication', { mode: 'sign-in', response: signedForOther }, who.ip, { cookie: '' })
		expect(noCookie.status).toBe(400)
		// A registration challenge does not sign in.
		const registration = await postJson(who.client, '/passkeys/registration-options', {}, who.ip)
		const challenge = (registration.json.options as { challenge: string }).challenge
		const misused = who.authenticator.assert({ challenge, rpId: 'acme.localhost' }, who.client.origin)
		expect((await postJson(who.client, '/passkeys/authentication', { mode: 'sign-in', response: misused }, who.ip)).status).toBe(400)
		const reasons = (await events('user.sign_in_failed', { actorEmail: who.email })).map((event) => event.data.reason)
		expect(reasons).toEqual(['wrong_challenge', 'challenge', 'challenge'])
	})
})

describe('throttling', () => {
	it('counts passkey failures with every other failed secret, per account and per IP', async () => {
		const who = await withPasskey('acme', 'throttle')
		for (let attempt = 0; attempt < 10; attempt++) {
			const { result } = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip, { bend: { userVerified: false } })
			expect(result.status).toBe(400)
		}
		const blocked = await signWithPasskey(foyer.client('acme'), who.authenticator, who.ip)
		expect(blocked.result.status).toBe(429)
		expect(Number(blocked.result.headers.get('retry-after'))).toBeGreaterThan(0)
		// The password of the same account is refused too: switching method buys no extra guesses.
		const password = await foyer.client('acme').post('/login', { email: who.email, password: PASSWORD }, { headers: { 'x-forwarded-for': newIp() } })
		expect(password.status).toBe(429)

		// A credential nobody has counts against `passkey:<ip>`.
		const stranger = new SoftAuthenticator()
		const ip = newIp()
		stranger.register({ challenge: 'AAAAAAAAAAAAAAAAAAAAAA', rp: { name: 'x', id: 'acme.localhost' }, user: { id: 'dW5rbm93bg', name: 'x', displayName: 'x' }, pubKeyCredParams: [] }, foyer.origin('acme.localhost'))
		for (let attempt = 0; attempt < 10; attempt++) expect((await signWithPasskey(foyer.client('acme'), stranger, ip)).result.status).toBe(400)
		expect((await signWithPasskey(foyer.client('acme'), stranger, ip)).result.status).toBe(429)
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

/** A JSON body naming a mode: valid for the options route, whatever else it carries (extra fields are dropped). */
function asksForSignInOptions(body: { raw: string; contentType?: string }) {
	try {
		return body.contentType === undefined && (JSON.parse(body.raw) as { mode?: unknown } | null)?.mode === 'sign-in'
	} catch {
		return false
	}
}

describe('bad input', () => {
	it('answers malformed requests with 4xx JSON, never a 500', async () => {
		const who = await person('acme', 'bad-json')
		const routes = ['/passkeys/registration-options', '/passkeys/registration', '/passkeys/authentication-options', '/passkeys/authentication']
		const junk = (s: string) => Buffer.from(s).toString('base64url')
		const bodies: { raw: string; contentType?: string }[] = [
			{ raw: 'not json' },
			{ raw: '{"mode":' },
			{ raw: 'null' },
			{ raw: '[]' },
			{ raw: '{}' },
			{ raw: JSON.stringify({ mode: 'teleport' }) },
			{ raw: JSON.stringify({ mode: 'sign-in', response: 'x' }) },
			{ raw: JSON.stringify({ mode: 'sign-in', response: { id: '!!', rawId: '!!', type: 'public-key', response: {} } }) },
			{
				raw: JSON.stringify({
					mode: 'sign-in',
					response: { id: junk('a'), rawId: junk('a'), type: 'public-key', response: { clientDataJSON: junk('{'), authenticatorData: junk('x'), signature: junk('y'), attestationObject: junk('z') }, clientExtensionResults: {} },
				}),
			},
			{ raw: JSON.stringify({ mode: 'sign-in', response: { id: 'a'.repeat(20_000) } }) },
			{ raw: '{"mode":"sign-in"}', contentType: 'text/plain' },
			{ raw: 'mode=sign-in', contentType: 'application/x-www-form-urlencoded' },
		]
		for (const path of routes) {
			// Fresh challenges, so bodies that parse reach the verification they are meant to break.
			await postJson(who.client, '/passkeys/registration-options', {}, who.ip)
			await postJson(who.client, '/passkeys/authentication-options', { mode: 'sign-in' }, who.ip)
			for (const body of bodies) {
				const answer = await postJson(who.client, path, undefined, who.ip, body)
				if (path === '/passkeys/registration-options') {
					// It reads no body: any request from a signed-in user gets options.
					expect(answer.status, `${path} ${body.raw.slice(0, 60)}`).toBe(200)
					continue
				}
				if (path === '/passkeys/authentication-options' && asksForSignInOptions(body)) {
					expect(answer.status, `${path} ${body.raw.slice(0, 60)}`).toBe(200)
					continue
				}
				expect([400, 413, 415], `${path} ${body.raw.slice(0, 60)}: ${answer.status}`).toContain(answer.status)
				expect(typeof answer.json.error, `${path} ${body.raw.slice(0, 60)}`).toBe('string')
			}
		}
		expect(await signedIn(who.client)).toBe(true)
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
