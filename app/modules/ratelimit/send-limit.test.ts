import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkSendLimit, configureSendLimit, DEFAULT_SEND_LIMIT_POLICY, sendLimitMessage, type SendLimitKey } from './send-limit.server'

const key = (overrides: Partial<SendLimitKey> = {}): SendLimitKey => ({
	organizationId: 'org_1',
	address: 'ada@example.com',
	ip: '203.0.113.7',
	...overrides,
})

async function send(k: SendLimitKey, times: number) {
	const verdicts = []
	for (let i = 0; i < times; i++) verdicts.push(await checkSendLimit(k))
	return verdicts
}

// configureSendLimit() builds fresh in-process limiters: every test starts from zero.
beforeEach(() => {
	configureSendLimit()
})

afterEach(() => {
	configureSendLimit()
})

describe('send limits (in-process store)', () => {
	it('allows 5 sends per address an hour by default and refuses the 6th with a retry time', async () => {
		expect(DEFAULT_SEND_LIMIT_POLICY).toEqual({ addressSends: 5, ipSends: 30, windowSeconds: 3600 })
		expect(await send(key(), 5)).toEqual(Array(5).fill({ allowed: true }))
		const verdict = await checkSendLimit(key())
		expect(verdict.allowed).toBe(false)
		if (verdict.allowed) return
		expect(verdict.retryAfterSeconds).toBeGreaterThan(3500)
		expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(3600)
		expect(Number.isInteger(verdict.retryAfterSeconds)).toBe(true)
	})

	it('refuses the address from any IP, whatever its case', async () => {
		await send(key(), 5)
		expect((await checkSendLimit(key({ ip: '198.51.100.9' }))).allowed).toBe(false)
		expect((await checkSendLimit(key({ address: ' ADA@example.com ', ip: '198.51.100.10' }))).allowed).toBe(false)
	})

	it('leaves other addresses, and the same address in another org, alone', async () => {
		await send(key(), 6)
		expect(await checkSendLimit(key({ address: 'grace@example.com' }))).toEqual({ allowed: true })
		expect(await checkSendLimit(key({ organizationId: 'org_2' }))).toEqual({ allowed: true })
	})

	it('limits one IP across addresses (30 by default)', async () => {
		const verdicts = []
		for (let i = 0; i < 30; i++) verdicts.push(await checkSendLimit(key({ address: `spray${i}@example.com` })))
		expect(verdicts.every((verdict) => verdict.allowed)).toBe(true)
		const verdict = await checkSendLimit(key({ address: 'spray-next@example.com' }))
		expect(verdict.allowed).toBe(false)
		expect(!verdict.allowed && verdict.retryAfterSeconds).toBeGreaterThan(0)
		// Another IP asking for a fresh address is fine.
		expect(await checkSendLimit(key({ address: 'spray-next@example.com', ip: '198.51.100.9' }))).toEqual({ allowed: true })
	})

	it('follows a configured policy', async () => {
		configureSendLimit({ addressSends: 2, ipSends: 3, windowSeconds: 60 })
		expect(await send(key(), 2)).toEqual([{ allowed: true }, { allowed: true }])
		const verdict = await checkSendLimit(key())
		expect(verdict.allowed).toBe(false)
		expect(!verdict.allowed && verdict.retryAfterSeconds).toBeLessThanOrEqual(60)
		// The IP has made 3 requests (the refused one counts): a 4th, for a fresh address, is over its limit.
		expect((await checkSendLimit(key({ address: 'grace@example.com' }))).allowed).toBe(false)
	})

	it('counts refused requests, so retrying early never earns a send', async () => {
		configureSendLimit({ addressSends: 1, ipSends: 100, windowSeconds: 60 })
		await send(key(), 1)
		const refused = await send(key(), 3)
		expect(refused.every((verdict) => !verdict.allowed)).toBe(true)
	})
})

describe('sendLimitMessage', () => {
	it('says when to try again in whole minutes', () => {
		expect(sendLimitMessage(30)).toBe('Too many emails were requested for this address. Try again in a minute.')
		expect(sendLimitMessage(3600)).toBe('Too many emails were requested for this address. Try again in 60 minutes.')
		expect(sendLimitMessage(61)).toBe('Too many emails were requested for this address. Try again in 2 minutes.')
	})
})
