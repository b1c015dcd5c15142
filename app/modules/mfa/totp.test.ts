import { generate } from 'otplib'
import { describe, expect, it } from 'vitest'
import { checkTotpCode, newTotpSecret, normalizeTotpCode, TOTP_PERIOD_SECONDS, totpUri } from './totp'

const secret = newTotpSecret()
const STEP_MS = TOTP_PERIOD_SECONDS * 1000
/** A moment in the middle of a time step, so ±1 step is unambiguous. */
const now = Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2
const codeAt = (ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) })
const stepAt = (ms: number) => Math.floor(ms / STEP_MS)

describe('TOTP secrets', () => {
	it('are 20 random bytes in base32 (32 characters), different every time', () => {
		expect(secret).toMatch(/^[A-Z2-7]{32}$/)
		expect(newTotpSecret()).not.toBe(secret)
	})

	it('go into an otpauth URI with the org as issuer and the account as label', () => {
		const uri = new URL(totpUri(secret, 'Acme Rockets', 'ada@example.com'))
		expect(uri.protocol).toBe('otpauth:')
		expect(uri.searchParams.get('secret')).toBe(secret)
		expect(uri.searchParams.get('issuer')).toBe('Acme Rockets')
		expect(decodeURIComponent(uri.pathname)).toContain('Acme Rockets:ada@example.com')
	})
})

describe('checkTotpCode: drift', () => {
	it('accepts the current step and reports it', async () => {
		expect(await checkTotpCode(secret, await codeAt(now), { now })).toEqual({ ok: true, step: stepAt(now), delta: 0 })
	})

	it('accepts one step behind and one ahead (clock drift), with the delta', async () => {
		expect(await checkTotpCode(secret, await codeAt(now - STEP_MS), { now })).toEqual({ ok: true, step: stepAt(now) - 1, delta: -1 })
		expect(await checkTotpCode(secret, await codeAt(now + STEP_MS), { now })).toEqual({ ok: true, step: stepAt(now) + 1, delta: 1 })
	})

	it('refuses two steps either side', async () => {
		expect(await checkTotpCode(secret, await codeAt(now - 2 * STEP_MS), { now })).toEqual({ ok: false, reason: 'invalid' })
		expect(await checkTotpCode(secret, await codeAt(now + 2 * STEP_MS), { now })).toEqual({ ok: false, reason: 'invalid' })
	})

	it("refuses another secret's code", async () => {
		expect(await checkTotpCode(newTotpSecret(), await codeAt(now), { now })).toMatchObject({ ok: false })
	})
})

describe('checkTotpCode: replay', () => {
	it('refuses the step already used, and any earlier step, even inside the window', async () => {
		const used = stepAt(now)
		expect(await checkTotpCode(secret, await codeAt(now), { now, lastUsedStep: used })).toEqual({ ok: false, reason: 'replayed' })
		expect(await checkTotpCode(secret, await codeAt(now - STEP_MS), { now, lastUsedStep: used })).toEqual({ ok: false, reason: 'replayed' })
	})

	it('accepts a later step after an earlier one was used', async () => {
		expect(await checkTotpCode(secret, await codeAt(now + STEP_MS), { now, lastUsedStep: stepAt(now) })).toMatchObject({ ok: true, step: stepAt(now) + 1 })
	})
})

describe('normalizeTotpCode', () => {
	it('keeps six digits, without the spaces and dashes people type', () => {
		expect(normalizeTotpCode('123456')).toBe('123456')
		expect(normalizeTotpCode(' 123 456 ')).toBe('123456')
		expect(normalizeTotpCode('123-456')).toBe('123456')
	})

	it('refuses anything else', () => {
		for (const bad of ['12345', '1234567', 'abcdef', '', null, undefined, 123456, '1'.repeat(100), '１２３４５６']) expect(normalizeTotpCode(bad), String(bad)).toBeNull()
	})
})
