import { describe, expect, it } from 'vitest'
import { ORG_SETTING_KEYS, orgSettingsSchema } from './settings'
import { SETTING_FIELDS, SETTING_GROUPS, settingsFormSchema } from './settings-form'

const blank = Object.fromEntries(ORG_SETTING_KEYS.map((key) => [key, undefined]))

describe('the settings form', () => {
	it('shows every setting once', () => {
		expect(SETTING_GROUPS.flatMap((group) => group.keys).sort()).toEqual([...ORG_SETTING_KEYS].sort())
		expect(Object.keys(SETTING_FIELDS).sort()).toEqual([...ORG_SETTING_KEYS].sort())
	})

	it('states the same number bounds as the settings schema', () => {
		for (const key of ORG_SETTING_KEYS) {
			const control = SETTING_FIELDS[key].control
			if (control.kind !== 'number') continue
			const schema = orgSettingsSchema.shape[key]
			expect(schema.safeParse(control.min).success, key).toBe(true)
			expect(schema.safeParse(control.min - 1).success, key).toBe(false)
			expect(schema.safeParse(control.max).success, key).toBe(true)
			expect(schema.safeParse(control.max + 1).success, key).toBe(false)
		}
	})

	it('turns empty fields into "use the default" and typed values into overrides', () => {
		const parsed = settingsFormSchema({}).parse({ ...blank, passkeys: 'off', signUpMode: 'closed', sessionIdleMinutes: '60' })
		expect(parsed).toMatchObject({ passkeys: false, signUpMode: 'closed', sessionIdleMinutes: 60, passwordSignIn: null, emailSenderName: null })
		expect(Object.keys(parsed).sort()).toEqual([...ORG_SETTING_KEYS].sort())
	})

	it('judges the rules across keys with the inherited values', () => {
		const inherited = { passwordSignIn: false, magicLinkSignIn: false }
		const result = settingsFormSchema(inherited).safeParse({ ...blank, emailCodeSignIn: 'off' })
		expect(result.success).toBe(false)
		expect(result.error?.issues[0]).toMatchObject({ path: ['passwordSignIn'], message: expect.stringContaining('At least one sign-in method') })
		expect(settingsFormSchema({ mfaPolicy: 'required' }).safeParse({ ...blank, passwordMinLength: '8' }).success).toBe(true)
	})

	it('refuses values of the wrong kind with a message on the field', () => {
		for (const [key, value] of [['passwordSignIn', 'yes'], ['passwordMinLength', '12.5'], ['mfaPolicy', 'always'], ['emailSenderName', 'a\u0000b'], ['emailSenderAddress', 'nope']] as const) {
			const result = settingsFormSchema({}).safeParse({ ...blank, [key]: value })
			expect(result.success, key).toBe(false)
			expect(result.error?.issues[0]?.path, key).toEqual([key])
		}
	})

	it("limits an org's new sender address to its allowed domains, and lets a stored one stand", () => {
		const sender = { senderDomains: ['acme.example'], platformSender: 'no-reply@platform.example' }
		const address = (value: string, stored?: string) => settingsFormSchema({}, { ...sender, stored }).safeParse({ ...blank, emailSenderAddress: value })
		expect(address('support@acme.example').success).toBe(true)
		expect(address('No-Reply@Platform.example').success).toBe(true)
		expect(address('ceo@bank.example').error?.issues[0]).toMatchObject({ path: ['emailSenderAddress'], message: expect.stringContaining('bank.example is not a sender domain allowed') })
		expect(address('news@mail.acme.example').success, 'subdomains are not included').toBe(false)
		expect(address('old@gone.example', 'old@gone.example').success, 'unchanged: kept, and the mailer does not use it').toBe(true)
		expect(settingsFormSchema({}).safeParse({ ...blank, emailSenderAddress: 'ceo@bank.example' }).success, 'the platform defaults form has no such limit').toBe(true)
	})
})
