import { describe, expect, it } from 'vitest'
import { applySettingChanges, ORG_SETTING_KEYS, orgSettingsSchema, parseOrgSettings, parseSettingAssignments, parseSettingOverrides, settingsIssues, type OrgSettings } from './settings'

/** The code defaults: what an org gets when neither it nor the platform sets a key. */
const DEFAULTS: OrgSettings = {
	passwordSignIn: true,
	magicLinkSignIn: true,
	emailCodeSignIn: true,
	signUpMode: 'open',
	emailVerificationRequired: false,
	passwordMinLength: 15,
	sessionIdleMinutes: 4320,
	sessionAbsoluteMinutes: 43_200,
	mfaPolicy: 'optional',
	smsSecondFactor: true,
	passkeys: true,
	newDeviceEmail: true,
}

const ALL_METHODS_OFF = { passwordSignIn: false, magicLinkSignIn: false, emailCodeSignIn: false }

function assigned(words: string[]) {
	const result = parseSettingAssignments(words)
	if (!result.ok) throw new Error(`expected ok, got ${result.errors.join('; ')}`)
	return result.changes
}

function refused(words: string[]) {
	const result = parseSettingAssignments(words)
	if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.changes)}`)
	return result.errors
}

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

describe('parseSettingAssignments', () => {
	it('reads booleans', () => {
		expect(assigned(['passwordSignIn=false', 'magicLinkSignIn=true', 'emailVerificationRequired=true'])).toEqual({
			passwordSignIn: false,
			magicLinkSignIn: true,
			emailVerificationRequired: true,
		})
	})

	it('reads numbers', () => {
		expect(assigned(['passwordMinLength=20', 'sessionIdleMinutes=30', 'sessionAbsoluteMinutes=525600'])).toEqual({
			passwordMinLength: 20,
			sessionIdleMinutes: 30,
			sessionAbsoluteMinutes: 525_600,
		})
	})

	it('reads strings and enums, splitting at the first =', () => {
		expect(assigned(['signUpMode=invite', 'emailSenderName=Acme = Support', 'emailSenderAddress=Support@Acme.TEST'])).toEqual({
			signUpMode: 'invite',
			emailSenderName: 'Acme = Support',
			emailSenderAddress: 'support@acme.test',
		})
	})

	it('reads key= as "remove the override" (null)', () => {
		expect(assigned(['passwordMinLength=', 'emailSenderName=', 'passwordSignIn='])).toEqual({ passwordMinLength: null, emailSenderName: null, passwordSignIn: null })
	})

	it('refuses unknown keys, naming the known ones', () => {
		const [error] = refused(['colour=blue'])
		expect(error).toMatch(/^colour: unknown setting/)
		expect(error).toContain('passwordSignIn')
		expect(refused(['PasswordSignIn=true'])[0]).toMatch(/^PasswordSignIn: unknown setting/)
		expect(refused(['=true'])[0]).toMatch(/unknown setting/)
	})

	it('refuses a word without =', () => {
		expect(refused(['passwordSignIn'])).toEqual(['passwordSignIn: expected key=value'])
	})

	it('refuses bad values with the key in the message', () => {
		const cases = [
			'passwordSignIn=yes',
			'passwordSignIn=TRUE',
			'magicLinkSignIn=1',
			'passwordMinLength=7',
			'mfaPolicy=sometimes',
			'passkeys=on',
			'passwordMinLength=65',
			'passwordMinLength=20.5',
			'passwordMinLength=twenty',
			'sessionIdleMinutes=4',
			'sessionAbsoluteMinutes=525601',
			'signUpMode=everyone',
			'emailSenderName=   ',
			`emailSenderName=${'x'.repeat(101)}`,
			'emailSenderName=Support\u0000Desk',
			'emailSenderAddress=not-an-address',
		]
		for (const word of cases) {
			const key = word.slice(0, word.indexOf('='))
			const errors = refused([word])
			expect(errors, word).toHaveLength(1)
			expect(errors[0], word).toMatch(new RegExp(`^${key}: .+`))
		}
	})

	it('reports every problem at once and changes nothing when any word is bad', () => {
		const result = parseSettingAssignments(['passwordMinLength=20', 'colour=blue', 'signUpMode=maybe', 'oops'])
		expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^colour:/), expect.stringMatching(/^signUpMode:/), 'oops: expected key=value'] })
	})

	it('takes an empty list as no changes', () => {
		expect(assigned([])).toEqual({})
	})
})

describe('applySettingChanges', () => {
	it('stores only the keys set, and gives the effective settings', () => {
		const result = applySettingChanges({}, { passwordMinLength: 20 }, { magicLinkSignIn: false })
		expect(result).toEqual({ ok: true, overrides: { passwordMinLength: 20 }, settings: { ...DEFAULTS, passwordMinLength: 20, magicLinkSignIn: false } })
	})

	it('keeps the overrides already stored and does not change its input', () => {
		const stored = { signUpMode: 'closed', passwordMinLength: 20 }
		const result = applySettingChanges(stored, { passwordMinLength: 25, emailCodeSignIn: false }, {})
		expect(result).toMatchObject({ ok: true, overrides: { signUpMode: 'closed', passwordMinLength: 25, emailCodeSignIn: false } })
		expect(stored).toEqual({ signUpMode: 'closed', passwordMinLength: 20 })
	})

	it('removes an override for null, so the key follows the platform default again', () => {
		const result = applySettingChanges({ passwordMinLength: 20, signUpMode: 'invite' }, { passwordMinLength: null }, { passwordMinLength: 30 })
		expect(result).toEqual({ ok: true, overrides: { signUpMode: 'invite' }, settings: { ...DEFAULTS, signUpMode: 'invite', passwordMinLength: 30 } })
		const toCode = applySettingChanges({ passwordMinLength: 20 }, { passwordMinLength: null }, {})
		expect(toCode).toEqual({ ok: true, overrides: {}, settings: DEFAULTS })
		// Removing a key that is not set is no error.
		expect(applySettingChanges({}, { emailSenderName: null }, {})).toEqual({ ok: true, overrides: {}, settings: DEFAULTS })
	})

	it('refuses turning every sign-in method off', () => {
		const result = applySettingChanges({}, ALL_METHODS_OFF, {})
		expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/at least one sign-in method/i)] })
	})

	it('refuses turning off the last method left on, counting stored overrides and platform defaults', () => {
		expect(applySettingChanges({ passwordSignIn: false, magicLinkSignIn: false }, { emailCodeSignIn: false }, {})).toMatchObject({ ok: false })
		expect(applySettingChanges({}, { passwordSignIn: false }, { magicLinkSignIn: false, emailCodeSignIn: false })).toMatchObject({ ok: false })
		// Removing the override that kept a method on, when the platform has it off.
		expect(applySettingChanges({ passwordSignIn: true, emailCodeSignIn: false }, { passwordSignIn: null }, { passwordSignIn: false, magicLinkSignIn: false })).toMatchObject({ ok: false })
		// One left on is enough.
		expect(applySettingChanges({}, { passwordSignIn: false, magicLinkSignIn: false }, {})).toMatchObject({ ok: true, settings: { emailCodeSignIn: true } })
	})

	it('refuses an idle limit longer than the absolute limit, allows them equal', () => {
		expect(applySettingChanges({}, { sessionIdleMinutes: 100, sessionAbsoluteMinutes: 50 }, {})).toEqual({ ok: false, errors: [expect.stringMatching(/sessionIdleMinutes cannot be longer than sessionAbsoluteMinutes/)] })
		// Against the default idle limit (4320).
		expect(applySettingChanges({}, { sessionAbsoluteMinutes: 60 }, {})).toMatchObject({ ok: false })
		// Against a stored idle limit, and a platform one.
		expect(applySettingChanges({ sessionIdleMinutes: 600 }, { sessionAbsoluteMinutes: 300 }, {})).toMatchObject({ ok: false })
		expect(applySettingChanges({}, { sessionAbsoluteMinutes: 300 }, { sessionIdleMinutes: 600 })).toMatchObject({ ok: false })
		expect(applySettingChanges({}, { sessionIdleMinutes: 60, sessionAbsoluteMinutes: 60 }, {})).toMatchObject({ ok: true, overrides: { sessionIdleMinutes: 60, sessionAbsoluteMinutes: 60 } })
	})

	it('refuses unknown keys and invalid values, naming the key', () => {
		expect(applySettingChanges({}, { colour: 'blue' } as never, {})).toEqual({ ok: false, errors: ['colour: unknown setting'] })
		const result = applySettingChanges({}, { passwordMinLength: 7, signUpMode: 'maybe' }, {})
		expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^passwordMinLength: /), expect.stringMatching(/^signUpMode: /)] })
	})

	it('keeps stored keys this build does not know (a newer build wrote them)', () => {
		const stored = { passwordMinLength: 20, webhookRetries: 5 }
		expect(applySettingChanges(stored, { magicLinkSignIn: false }, {})).toMatchObject({
			ok: true,
			overrides: { passwordMinLength: 20, webhookRetries: 5, magicLinkSignIn: false },
		})
	})

	it('judges the stored row as written, not as repaired on read', () => {
		// A row that lost every method (by hand) reads as password on; a write must turn one on for real.
		expect(parseOrgSettings(ALL_METHODS_OFF).passwordSignIn).toBe(true)
		expect(applySettingChanges(ALL_METHODS_OFF, { passwordMinLength: 20 }, {})).toMatchObject({ ok: false })
		expect(applySettingChanges(ALL_METHODS_OFF, { emailCodeSignIn: true }, {})).toEqual({
			ok: true,
			overrides: { ...ALL_METHODS_OFF, emailCodeSignIn: true },
			settings: { ...DEFAULTS, passwordSignIn: false, magicLinkSignIn: false, emailCodeSignIn: true },
		})
	})
})
