import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkThrottle, configureThrottle, recordFailure, recordSuccess, throttleMessage, type ThrottleKey } from './throttle.server'

const POLICY = { accountFailures: 3, ipFailures: 5, windowSeconds: 60 }

const key = (overrides: Partial<ThrottleKey> = {}): ThrottleKey => ({
	organizationId: 'org_1',
	account: 'ada@example.com',
	ip: '203.0.113.7',
	...overrides,
})

async function fail(k: ThrottleKey, times: number) {
	for (let i = 0; i < times; i++) await recordFailure(k)
}

beforeEach(() => {
	configureThrottle(POLICY)
})

afterEach(() => {
	configureThrottle()
})

describe('throttle (in-process store)', () => {
	it('allows an account until its third failure, then refuses with a retry time', async () => {
		const ada = key()
		expect(await checkThrottle(ada)).toEqual({ allowed: true })
		await fail(ada, 1)
		expect(await checkThrottle(ada)).toEqual({ allowed: true })
		await fail(ada, 1)
		expect(await checkThrottle(ada)).toEqual({ allowed: true })
		await fail(ada, 1)
		const verdict = await checkThrottle(ada)
		expect(verdict.allowed).toBe(false)
		if (verdict.allowed) return
		expect(verdict.retryAfterSeconds).toBeGreaterThan(0)
		expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(POLICY.windowSeconds)
		expect(Number.isInteger(verdict.retryAfterSeconds)).toBe(true)
	})

	it('refuses the blocked account from any IP', async () => {
		await fail(key(), 3)
		expect((await checkThrottle(key({ ip: '198.51.100.9' }))).allowed).toBe(false)
	})

	it('keeps refusing after further failures while blocked', async () => {
		await fail(key(), 5)
		expect((await checkThrottle(key())).allowed).toBe(false)
	})

	it('lets another account on the same IP through until the IP limit', async () => {
		await fail(key(), 3)
		const grace = key({ account: 'grace@example.com' })
		expect(await checkThrottle(grace)).toEqual({ allowed: true })
		await fail(grace, 1) // IP: 4 failures
		expect(await checkThrottle(grace)).toEqual({ allowed: true })
		await fail(grace, 1) // IP: 5 failures, grace only 2
		const verdict = await checkThrottle(grace)
		expect(verdict.allowed).toBe(false)
		expect(!verdict.allowed && verdict.retryAfterSeconds).toBeGreaterThan(0)
		// The IP is blocked for every account, even a fresh one.
		expect((await checkThrottle(key({ account: 'linus@example.com' }))).allowed).toBe(false)
		// Another IP is not.
		expect(await checkThrottle(key({ account: 'linus@example.com', ip: '198.51.100.9' }))).toEqual({ allowed: true })
	})

	it('clears the account count on success', async () => {
		const ada = key()
		await fail(ada, 2)
		await recordSuccess(ada)
		await fail(ada, 2)
		expect(await checkThrottle(ada)).toEqual({ allowed: true })
		await fail(ada, 1)
		expect((await checkThrottle(ada)).allowed).toBe(false)
	})

	it('does not let one account’s success clear another’s count', async () => {
		await fail(key(), 2)
		await recordSuccess(key({ account: 'grace@example.com' }))
		await fail(key(), 1)
		expect((await checkThrottle(key())).allowed).toBe(false)
	})

	it('counts per org: the same email in another org is unaffected', async () => {
		await fail(key(), 3)
		expect((await checkThrottle(key())).allowed).toBe(false)
		const otherOrg = key({ organizationId: 'org_2' })
		expect(await checkThrottle(otherOrg)).toEqual({ allowed: true })
		await fail(otherOrg, 1) // IP now at 4, org_2 account at 1
		expect(await checkThrottle(otherOrg)).toEqual({ allowed: true })
	})

	it('starts clean after configureThrottle', async () => {
		await fail(key(), 3)
		configureThrottle(POLICY)
		expect(await checkThrottle(key())).toEqual({ allowed: true })
	})

	it('uses the default policy (10 per account) after configureThrottle()', async () => {
		configureThrottle()
		await fail(key(), 9)
		expect(await checkThrottle(key())).toEqual({ allowed: true })
		await fail(key(), 1)
		expect((await checkThrottle(key())).allowed).toBe(false)
	})
})

describe('throttleMessage', () => {
	it('says a minute for up to 60 seconds', () => {
		expect(throttleMessage(1)).toBe('Too many attempts. Try again in a minute.')
		expect(throttleMessage(60)).toBe('Too many attempts. Try again in a minute.')
	})

	it('rounds up to whole minutes', () => {
		expect(throttleMessage(61)).toBe('Too many attempts. Try again in 2 minutes.')
		expect(throttleMessage(15 * 60)).toBe('Too many attempts. Try again in 15 minutes.')
		expect(throttleMessage(14 * 60 + 1)).toBe('Too many attempts. Try again in 15 minutes.')
	})
})
