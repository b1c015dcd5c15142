import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type RequestContext } from '../../context'
import { configure } from '../../utils/config.server'
import { type Env } from '../../utils/env.server'
import { CHALLENGE_TTL_SECONDS, saveChallenge, takeChallenge, type StoredChallenge } from './challenges.server'

/** The in-process store (no REDIS_URL); the Redis one is tested against the server (test/integration/passkeys-sign-in.test.ts). */
const context = { secure: false, org: { id: 'org-a' } } as unknown as Pick<RequestContext, 'secure' | 'org'>
const input: Omit<StoredChallenge, 'expiresAt'> = {
	purpose: 'sign-in',
	challenge: 'c'.repeat(43),
	organizationId: 'org-a',
	rpId: 'acme.localhost',
	origin: 'http://acme.localhost:3000',
	userId: null,
}
const expected = { purpose: 'sign-in', rpId: 'acme.localhost', origin: 'http://acme.localhost:3000' } as const

beforeAll(() => {
	configure({ env: { REDIS_KEY_PREFIX: 'unit:' } as Env, secrets: { secretKey: 'k', passwordPepper: 'p', sessionSecret: 'unit-test-session-secret' } })
})

afterEach(() => {
	vi.useRealTimers()
})

/** A request carrying the cookie `saveChallenge` set. */
function requestWith(setCookie: string) {
	return new Request('http://acme.localhost:3000/passkeys/authentication', { headers: { cookie: setCookie.split(';')[0]! } })
}

describe('passkey challenges in-process', () => {
	it('are taken once', async () => {
		const request = requestWith(await saveChallenge(context, input))
		expect(await takeChallenge(request, context, expected)).toMatchObject({ challenge: input.challenge, organizationId: 'org-a' })
		expect(await takeChallenge(request, context, expected)).toBeNull()
	})

	it(`expire after ${CHALLENGE_TTL_SECONDS} seconds`, async () => {
		vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') })
		const request = requestWith(await saveChallenge(context, input))
		vi.setSystemTime(Date.now() + CHALLENGE_TTL_SECONDS * 1000 + 1)
		expect(await takeChallenge(request, context, expected)).toBeNull()
	})

	it('belong to one purpose, org, host and origin (and a mismatch spends them)', async () => {
		for (const [ctx, want] of [
			[context, { ...expected, purpose: 'second-factor' }],
			[{ ...context, org: { id: 'org-b' } }, expected],
			[context, { ...expected, rpId: 'globex.localhost' }],
			[context, { ...expected, origin: 'http://evil.localhost:3000' }],
		] as const) {
			const request = requestWith(await saveChallenge(context, input))
			expect(await takeChallenge(request, ctx as typeof context, want)).toBeNull()
			expect(await takeChallenge(request, context, expected)).toBeNull()
		}
	})

	it('ignore a missing, forged or unsigned cookie', async () => {
		await saveChallenge(context, input)
		for (const cookie of ['', 'passkey=abc', `passkey=${'A'.repeat(43)}`]) {
			const request = new Request('http://acme.localhost:3000/', { headers: { cookie } })
			expect(await takeChallenge(request, context, expected)).toBeNull()
		}
	})
})
