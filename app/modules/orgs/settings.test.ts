import { describe, expect, it } from 'vitest'
import { orgSettingsSchema, parseOrgSettings } from './settings'

const DEFAULTS = {
	sessionIdleMinutes: 4320,
	sessionAbsoluteMinutes: 43_200,
	passwordMinLength: 15,
	signUpMode: 'open',
}

describe('parseOrgSettings', () => {
	it('gives the defaults for an empty or missing value', () => {
		expect(parseOrgSettings({})).toEqual(DEFAULTS)
		expect(parseOrgSettings(undefined)).toEqual(DEFAULTS)
		expect(orgSettingsSchema.parse({})).toEqual(DEFAULTS)
	})

	it('keeps a valid partial and fills in the rest', () => {
		expect(parseOrgSettings({ sessionIdleMinutes: 30, signUpMode: 'closed' })).toEqual({
			...DEFAULTS,
			sessionIdleMinutes: 30,
			signUpMode: 'closed',
		})
	})

	it('keeps a full valid value as it is', () => {
		const full = { sessionIdleMinutes: 5, sessionAbsoluteMinutes: 525_600, passwordMinLength: 64, signUpMode: 'closed' }
		expect(parseOrgSettings(full)).toEqual(full)
	})

	it('drops unknown keys', () => {
		expect(parseOrgSettings({ passwordMinLength: 20, futureFlag: true })).toEqual({ ...DEFAULTS, passwordMinLength: 20 })
	})

	it('falls back per key for out-of-range values without losing the valid keys', () => {
		expect(
			parseOrgSettings({
				sessionIdleMinutes: 4,
				sessionAbsoluteMinutes: 600,
				passwordMinLength: 65,
				signUpMode: 'closed',
			}),
		).toEqual({ ...DEFAULTS, sessionAbsoluteMinutes: 600, signUpMode: 'closed' })
		expect(parseOrgSettings({ sessionIdleMinutes: 60, sessionAbsoluteMinutes: 525_601 })).toEqual({ ...DEFAULTS, sessionIdleMinutes: 60 })
	})

	it('falls back per key for wrong types', () => {
		expect(
			parseOrgSettings({
				sessionIdleMinutes: '60',
				sessionAbsoluteMinutes: 90.5,
				passwordMinLength: 20,
				signUpMode: 'invite-only',
			}),
		).toEqual({ ...DEFAULTS, passwordMinLength: 20 })
		expect(parseOrgSettings({ sessionIdleMinutes: null, passwordMinLength: Number.NaN, signUpMode: 'closed' })).toEqual({ ...DEFAULTS, signUpMode: 'closed' })
	})

	it('gives the defaults for garbage', () => {
		for (const garbage of [null, [], [1, 2], 'sessionIdleMinutes=5', '', 42, true]) {
			expect(parseOrgSettings(garbage), JSON.stringify(garbage)).toEqual(DEFAULTS)
		}
	})

	it('refuses a passwordMinLength below 15 and falls back to 15', () => {
		expect(parseOrgSettings({ passwordMinLength: 14 }).passwordMinLength).toBe(15)
		expect(parseOrgSettings({ passwordMinLength: 8, signUpMode: 'closed' })).toEqual({ ...DEFAULTS, signUpMode: 'closed' })
		expect(parseOrgSettings({ passwordMinLength: 15 }).passwordMinLength).toBe(15)
		expect(orgSettingsSchema.safeParse({ passwordMinLength: 14 }).success).toBe(false)
	})

	it('returns a fresh object each time', () => {
		const a = parseOrgSettings(null)
		a.sessionIdleMinutes = 1
		expect(parseOrgSettings(null).sessionIdleMinutes).toBe(4320)
	})
})
