import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { SoftAuthenticator } from '../setup/soft-authenticator'
import { cookieHeaderNow, newIp, passkeyHelpers, postJson, signedIn, signWithPasskey } from './passkeys.fixtures'

/**
 * Signing in with a passkey, passwordless and as the second factor after a password, against the
 * built server with a software authenticator (test/setup/soft-authenticator.ts) producing real
 * signed assertions, so @simplewebauthn/server's verification runs for real; then the challenges
 * (single use, expiry, bound to the browser and purpose) and throttling. The server keeps
 * challenges in Redis (GETDEL), which lets these tests expire one.
 */
const redisUrl = inject('redisUrl')
const prefix = `foyer-test-${randomBytes(4).toString('hex')}:`
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } })
let redis: Redis

const { withPasskey, passkeyRow, events, latestSession } = passkeyHelpers(foyer)

beforeAll(async () => {
	redis = new Redis(redisUrl)
	const created = await foyer.cli(['orgs', 'create', '--name', 'globex', '--slug', 'globex', '--json'])
	expect(created.code, created.stderr).toBe(0)
})

afterAll(async () => {
	if (!redis) return
	const keys = await redis.keys(`${prefix}*`)
	if (keys.length) await redis.del(...keys)
	await redis.quit()
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
