import { describe, expect, it } from 'vitest'
import { applySettingChanges, ORG_SETTING_KEYS, orgSettingsSchema, parseOrgSettings, parseSettingOverrides, settingsIssues, type OrgSettings } from './settings'
import { ALL_METHODS_OFF, DEFAULTS } from './settings.fixtures'

describe('the settings schema', () => {
	it('has exactly the documented keys', () => {
		expect([...ORG_SETTING_KEYS].sort()).toEqual(
			[
				'passwordSignIn',
				'magicLinkSignIn',
				'emailCodeSignIn',
				'signUpMode',
				'emailVerificationRequired',
				'passwordMinLength',
				'mfaPolicy',
				'smsSecondFactor',
				'passkeys',
				'newDeviceEmail',
				'sessionIdleMinutes',
				'sessionAbsoluteMinutes',
				'emailSenderName',
				'emailSenderAddress',
			].sort(),
		)
	})

	it('gives every method on, open sign-up, no required verification and 15 characters by default; no sender override', () => {
		const defaults = orgSettingsSchema.parse({})
		expect(defaults).toEqual(DEFAULTS)
		expect(defaults).not.toHaveProperty('emailSenderName')
		expect(defaults).not.toHaveProperty('emailSenderAddress')
	})
})

describe('parseOrgSettings', () => {
	it('gives the defaults for an empty or missing value', () => {
		expect(parseOrgSettings({})).toEqual(DEFAULTS)
		expect(parseOrgSettings(undefined)).toEqual(DEFAULTS)
		expect(parseOrgSettings(undefined, undefined)).toEqual(DEFAULTS)
	})

	it('keeps a valid partial and fills in the rest', () => {
		expect(parseOrgSettings({ sessionIdleMinutes: 30, signUpMode: 'closed', magicLinkSignIn: false })).toEqual({
			...DEFAULTS,
			sessionIdleMinutes: 30,
			signUpMode: 'closed',
			magicLinkSignIn: false,
		})
	})

	it('keeps a full valid value as it is', () => {
		const full: OrgSettings = {
			passwordSignIn: false,
			magicLinkSignIn: true,
			emailCodeSignIn: false,
			signUpMode: 'invite',
			emailVerificationRequired: true,
			passwordMinLength: 64,
			mfaPolicy: 'required-for-admins',
			smsSecondFactor: false,
			passkeys: false,
			newDeviceEmail: false,
			sessionIdleMinutes: 5,
			sessionAbsoluteMinutes: 525_600,
			emailSenderName: 'Acme Support',
			emailSenderAddress: 'support@acme.test',
		}
		expect(parseOrgSettings(full)).toEqual(full)
	})

	it('normalises the sender: trims the name, trims and lowercases the address', () => {
		expect(parseOrgSettings({ emailSenderName: '  Acme Support ', emailSenderAddress: ' Support@Acme.TEST ' })).toEqual({
			...DEFAULTS,
			emailSenderName: 'Acme Support',
			emailSenderAddress: 'support@acme.test',
		})
	})

	it('drops unknown keys', () => {
		expect(parseOrgSettings({ passwordMinLength: 20, futureFlag: true })).toEqual({ ...DEFAULTS, passwordMinLength: 20 })
	})

	it('falls back per key for out-of-range values without losing the valid keys', () => {
		expect(parseOrgSettings({ passwordMinLength: 65, signUpMode: 'closed', emailCodeSignIn: false })).toEqual({ ...DEFAULTS, signUpMode: 'closed', emailCodeSignIn: false })
		expect(parseOrgSettings({ sessionIdleMinutes: 60, sessionAbsoluteMinutes: 525_601 })).toEqual({ ...DEFAULTS, sessionIdleMinutes: 60 })
		expect(parseOrgSettings({ sessionIdleMinutes: 4, sessionAbsoluteMinutes: 50_000 })).toEqual({ ...DEFAULTS, sessionAbsoluteMinutes: 50_000 })
	})

	it('falls back per key for wrong types', () => {
		expect(
			parseOrgSettings({
				passwordSignIn: 'false',
				magicLinkSignIn: 0,
				emailVerificationRequired: 'yes',
				sessionIdleMinutes: '60',
				sessionAbsoluteMinutes: 90.5,
				passwordMinLength: 20,
				signUpMode: 'invite-only',
				emailSenderName: 42,
				emailSenderAddress: 'not an address',
			}),
		).toEqual({ ...DEFAULTS, passwordMinLength: 20 })
		expect(parseOrgSettings({ sessionIdleMinutes: null, passwordMinLength: Number.NaN, signUpMode: 'closed', emailSenderName: '   ' })).toEqual({ ...DEFAULTS, signUpMode: 'closed' })
	})

	it('gives the defaults for garbage, as the org value or as the platform defaults', () => {
		for (const garbage of [null, [], [1, 2], 'sessionIdleMinutes=5', '', 42, true]) {
			expect(parseOrgSettings(garbage), JSON.stringify(garbage)).toEqual(DEFAULTS)
			expect(parseOrgSettings({}, garbage), JSON.stringify(garbage)).toEqual(DEFAULTS)
		}
	})

	it('refuses a passwordMinLength below 15 unless MFA is required of everyone, and falls back to 15', () => {
		expect(parseOrgSettings({ passwordMinLength: 14 }).passwordMinLength).toBe(15)
		expect(parseOrgSettings({ passwordMinLength: 8, signUpMode: 'closed' })).toEqual({ ...DEFAULTS, signUpMode: 'closed' })
		expect(parseOrgSettings({ passwordMinLength: 8, mfaPolicy: 'required-for-admins' }).passwordMinLength).toBe(15)
		expect(parseOrgSettings({ passwordMinLength: 15 }).passwordMinLength).toBe(15)
		expect(parseOrgSettings({ passwordMinLength: 8, mfaPolicy: 'required' })).toEqual({ ...DEFAULTS, passwordMinLength: 8, mfaPolicy: 'required' })
		expect(orgSettingsSchema.safeParse({ passwordMinLength: 7 }).success).toBe(false)
		const lowered = applySettingChanges({}, { passwordMinLength: 14 }, {})
		expect(lowered.ok).toBe(false)
		expect(lowered.ok ? [] : lowered.errors).toEqual(['passwordMinLength: below 15 needs mfaPolicy=required'])
		expect(applySettingChanges({}, { passwordMinLength: 8, mfaPolicy: 'required' }, {}).ok).toBe(true)
		// Relaxing the policy while the length relies on it is refused too.
		expect(applySettingChanges({ passwordMinLength: 8, mfaPolicy: 'required' }, { mfaPolicy: 'optional' }, {}).ok).toBe(false)
	})

	it('returns a fresh object each time', () => {
		const a = parseOrgSettings(null)
		a.sessionIdleMinutes = 1
		expect(parseOrgSettings(null).sessionIdleMinutes).toBe(4320)
	})
})

describe('platform defaults layering', () => {
	it('takes a platform default for a key the org does not set', () => {
		expect(parseOrgSettings({}, { passwordMinLength: 20, magicLinkSignIn: false, emailSenderName: 'Foyer Cloud' })).toEqual({
			...DEFAULTS,
			passwordMinLength: 20,
			magicLinkSignIn: false,
			emailSenderName: 'Foyer Cloud',
		})
	})

	it('lets an org override win over the platform default, even when it equals the code default', () => {
		const platform = { passwordMinLength: 30, signUpMode: 'closed', emailVerificationRequired: true }
		expect(parseOrgSettings({ passwordMinLength: 15, signUpMode: 'open' }, platform)).toEqual({ ...DEFAULTS, emailVerificationRequired: true })
		expect(parseOrgSettings({ passwordMinLength: 25 }, platform)).toEqual({ ...DEFAULTS, passwordMinLength: 25, signUpMode: 'closed', emailVerificationRequired: true })
	})

	it('goes org override > platform default > code default, key by key', () => {
		const settings = parseOrgSettings({ sessionIdleMinutes: 60 }, { sessionIdleMinutes: 120, sessionAbsoluteMinutes: 1440 })
		expect(settings.sessionIdleMinutes).toBe(60) // the org's
		expect(settings.sessionAbsoluteMinutes).toBe(1440) // the platform's
		expect(settings.passwordMinLength).toBe(15) // the code's
	})

	it('falls back to the platform default, not the code default, when the org value is invalid', () => {
		expect(parseOrgSettings({ passwordMinLength: 3, signUpMode: 'everyone' }, { passwordMinLength: 24, signUpMode: 'invite' })).toEqual({
			...DEFAULTS,
			passwordMinLength: 24,
			signUpMode: 'invite',
		})
	})

	it('falls back to the code default when the platform value is invalid too', () => {
		expect(parseOrgSettings({ passwordMinLength: 3 }, { passwordMinLength: 99, emailCodeSignIn: 'no' })).toEqual(DEFAULTS)
	})
})

describe('repairs on read', () => {
	it('turns password sign-in back on for a stored row with every method off', () => {
		expect(parseOrgSettings(ALL_METHODS_OFF)).toEqual({ ...DEFAULTS, passwordSignIn: true, magicLinkSignIn: false, emailCodeSignIn: false })
	})

	it('repairs every method off that comes from org and platform together', () => {
		expect(parseOrgSettings({ passwordSignIn: false }, { magicLinkSignIn: false, emailCodeSignIn: false })).toEqual({
			...DEFAULTS,
			passwordSignIn: true,
			magicLinkSignIn: false,
			emailCodeSignIn: false,
		})
	})

	it('shortens an idle limit longer than the absolute limit to the absolute limit', () => {
		expect(parseOrgSettings({ sessionIdleMinutes: 600, sessionAbsoluteMinutes: 60 })).toEqual({ ...DEFAULTS, sessionIdleMinutes: 60, sessionAbsoluteMinutes: 60 })
		// The default idle limit (3 days) with a stored absolute limit of 10 hours.
		expect(parseOrgSettings({ sessionIdleMinutes: 4, sessionAbsoluteMinutes: 600 })).toEqual({ ...DEFAULTS, sessionIdleMinutes: 600, sessionAbsoluteMinutes: 600 })
	})

	it('leaves nothing for settingsIssues to find', () => {
		for (const stored of [ALL_METHODS_OFF, { sessionIdleMinutes: 600, sessionAbsoluteMinutes: 60 }, { ...ALL_METHODS_OFF, sessionAbsoluteMinutes: 5 }]) {
			expect(settingsIssues(parseOrgSettings(stored)), JSON.stringify(stored)).toEqual([])
		}
	})
})

describe('settingsIssues', () => {
	it('finds none in the defaults', () => {
		expect(settingsIssues(DEFAULTS)).toEqual([])
	})

	it('requires at least one sign-in method, any one', () => {
		expect(settingsIssues({ ...DEFAULTS, ...ALL_METHODS_OFF })).toEqual([{ key: 'passwordSignIn', message: expect.stringMatching(/at least one sign-in method/i) }])
		for (const on of ['passwordSignIn', 'magicLinkSignIn', 'emailCodeSignIn'] as const) {
			expect(settingsIssues({ ...DEFAULTS, ...ALL_METHODS_OFF, [on]: true }), on).toEqual([])
		}
	})

	it('requires the idle limit to be no longer than the absolute limit', () => {
		expect(settingsIssues({ ...DEFAULTS, sessionIdleMinutes: 61, sessionAbsoluteMinutes: 60 })).toEqual([{ key: 'sessionIdleMinutes', message: expect.stringMatching(/sessionIdleMinutes/) }])
		expect(settingsIssues({ ...DEFAULTS, sessionIdleMinutes: 60, sessionAbsoluteMinutes: 60 })).toEqual([])
	})
})

describe('parseSettingOverrides', () => {
	it('keeps only known keys with valid values, normalised', () => {
		expect(parseSettingOverrides({ passwordMinLength: 20, signUpMode: 'nobody', futureFlag: true, emailSenderAddress: 'A@B.TEST' })).toEqual({
			passwordMinLength: 20,
			emailSenderAddress: 'a@b.test',
		})
	})

	it('never fills in defaults: an override is only what was set', () => {
		expect(parseSettingOverrides({})).toEqual({})
		expect(parseSettingOverrides(null)).toEqual({})
		expect(parseSettingOverrides({ magicLinkSignIn: false })).toEqual({ magicLinkSignIn: false })
	})
})
