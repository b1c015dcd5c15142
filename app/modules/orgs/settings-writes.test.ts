import { describe, expect, it } from 'vitest'
import { applySettingChanges, parseOrgSettings, parseSettingAssignments } from './settings'
import { ALL_METHODS_OFF, DEFAULTS } from './settings.fixtures'

/** Writes: `key=value` words from the CLI and changes checked as a whole. */
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
