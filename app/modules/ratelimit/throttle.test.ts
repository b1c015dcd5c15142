import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configureThrottle, takeAttempt, throttleMessage, type AttemptEnd, type ThrottleKey } from './throttle.server'

const POLICY = { accountFailures: 3, ipFailures: 5, windowSeconds: 60, attemptFailures: 2 }

const key = (overrides: Partial<ThrottleKey> = {}): ThrottleKey => ({
	organizationId: 'org_1',
	account: 'ada@example.com',
	ip: '203.0.113.7',
	...overrides,
})

/** One secret check that ended `how`; throws when the throttle refused it. */
async function attempt(k: ThrottleKey, how: AttemptEnd = 'wrong') {
	const taken = await takeAttempt(k)
	if (!taken.ok) throw new Error(`refused (${taken.scope})`)
	await taken.end(how)
}

async function fail(k: ThrottleKey, times: number) {
	for (let i = 0; i < times; i++) await attempt(k)
}

const allowed = async (k: ThrottleKey) => {
	const taken = await takeAttempt(k)
	if (taken.ok) await taken.end('void')
	return taken.ok
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
		await fail(ada, 3)
		const refused = await takeAttempt(ada)
		expect(refused.ok).toBe(false)
		if (refused.ok) return
		expect(refused.scope).toBe('account')
		expect(refused.retryAfterSeconds).toBeGreaterThan(0)
		expect(refused.retryAfterSeconds).toBeLessThanOrEqual(POLICY.windowSeconds)
		expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true)
	})

	it('lets exactly as many parallel checks through as failures remain, before any of them ends', async () => {
		const ada = key()
		await fail(ada, 1)
		const taken = await Promise.all(Array.from({ length: 50 }, () => takeAttempt(ada)))
		expect(taken.filter((entry) => entry.ok)).toHaveLength(2)
		for (const entry of taken) if (entry.ok) await entry.end('wrong')
		expect(await allowed(ada)).toBe(false)
	})

	it('gives the point back for a right secret, and a right secret that finishes clears the count', async () => {
		const ada = key()
		await fail(ada, 2)
		await attempt(ada, 'right')
		// Still two failures: one more is allowed, then refused.
		await fail(ada, 1)
		expect(await allowed(ada)).toBe(false)
		configureThrottle(POLICY)
		await fail(ada, 2)
		await attempt(ada, 'right-clears')
		await fail(ada, 2)
		expect(await allowed(ada)).toBe(true)
	})

	it('counts nothing for a check that ended in a fault', async () => {
		for (let i = 0; i < 10; i++) await attempt(key(), 'void')
		expect(await allowed(key())).toBe(true)
	})

	it('refuses the blocked account from any IP', async () => {
		await fail(key(), 3)
		expect(await allowed(key({ ip: '198.51.100.9' }))).toBe(false)
	})

	it('counts no failure for refused requests, so the IP of a blocked account is not used up by them', async () => {
		await fail(key(), 3)
		for (let i = 0; i < 10; i++) expect(await allowed(key())).toBe(false)
		// IP: 3 failures of 5; another account on it still has two.
		await fail(key({ account: 'grace@example.com' }), 2)
		expect(await allowed(key({ account: 'linus@example.com' }))).toBe(false)
	})

	it('lets another account on the same IP through until the IP limit', async () => {
		await fail(key(), 3)
		const grace = key({ account: 'grace@example.com' })
		expect(await allowed(grace)).toBe(true)
		await fail(grace, 2) // IP: 5 failures, grace only 2
		const refused = await takeAttempt(grace)
		expect(refused.ok).toBe(false)
		expect(!refused.ok && refused.scope).toBe('ip')
		// The IP is blocked for every account, even a fresh one; another IP is not.
		expect(await allowed(key({ account: 'linus@example.com' }))).toBe(false)
		expect(await allowed(key({ account: 'linus@example.com', ip: '198.51.100.9' }))).toBe(true)
	})

	it('caps one pending sign-in on its own, and says so', async () => {
		const pending = key({ attempt: 'pending-1' })
		await fail(pending, 2)
		const refused = await takeAttempt(pending)
		expect(!refused.ok && refused.scope).toBe('attempt')
		// The account still has a guess left for a new sign-in.
		expect(await allowed(key({ attempt: 'pending-2' }))).toBe(true)
	})

	it('does not let one account’s success clear another’s count', async () => {
		await fail(key(), 2)
		await attempt(key({ account: 'grace@example.com' }), 'right-clears')
		await fail(key(), 1)
		expect(await allowed(key())).toBe(false)
	})

	it('counts per org: the same email in another org is unaffected', async () => {
		await fail(key(), 3)
		expect(await allowed(key())).toBe(false)
		expect(await allowed(key({ organizationId: 'org_2' }))).toBe(true)
	})

	it('uses the default policy (10 per account) after configureThrottle()', async () => {
		configureThrottle()
		await fail(key(), 9)
		expect(await allowed(key())).toBe(true)
		await fail(key(), 1)
		expect(await allowed(key())).toBe(false)
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
