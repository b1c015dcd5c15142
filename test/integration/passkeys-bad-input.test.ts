import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'
import { passkeyHelpers, postJson, signedIn } from './passkeys.fixtures'

/**
 * Malformed requests to the four passkey routes (/passkeys/registration-options, /registration,
 * /authentication-options, /authentication) against the built server: each is answered with 4xx
 * JSON, never a 500, and the user stays signed in. The server keeps challenges in Redis.
 */
const redisUrl = inject('redisUrl')
const prefix = `foyer-test-${randomBytes(4).toString('hex')}:`
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } })
let redis: Redis

const { person } = passkeyHelpers(foyer)

beforeAll(() => {
	redis = new Redis(redisUrl)
})

afterAll(async () => {
	if (!redis) return
	const keys = await redis.keys(`${prefix}*`)
	if (keys.length) await redis.del(...keys)
	await redis.quit()
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
