import { z } from 'zod'
import { newSenderAddressProblem, type SenderRules } from './sender'
import { MFA_POLICIES, ORG_SETTING_KEYS, orgSettingsSchema, settingsIssues, SIGN_UP_MODES, type OrgSettingKey, type OrgSettings, type SettingChanges } from './settings'

/**
 * The sign-in settings form shared by /admin/settings (an org's overrides) and /operator/defaults
 * (the platform defaults). Every key of settings.ts is one control whose empty value means "use
 * the default" (the platform's for an org, the built-in one for the platform); the form always
 * sends every key, so a submission replaces the whole set of overrides. Values are checked one by
 * one with settings.ts's own schema, then the rules across keys run on what would take effect.
 */
export type SettingControl =
	| { kind: 'boolean' }
	| { kind: 'choice'; options: readonly { value: string; label: string }[] }
	| { kind: 'number'; min: number; max: number }
	| { kind: 'text'; type: 'text' | 'email'; maxLength: number }

export type SettingField = { label: string; hint: string; control: SettingControl }

const SIGN_UP_LABELS: Record<(typeof SIGN_UP_MODES)[number], string> = { open: 'Open: anyone can sign up', invite: 'Invited addresses only', closed: 'Closed: nobody can sign up' }
const MFA_LABELS: Record<(typeof MFA_POLICIES)[number], string> = {
	off: 'Off: no second factors',
	optional: 'Optional: for those who set one up',
	required: 'Required for everyone',
	'required-for-admins': 'Required for owners and admins',
}

export const SETTING_FIELDS: Record<OrgSettingKey, SettingField> = {
	passwordSignIn: { label: 'Password sign-in', hint: 'Email and password, with "Forgot password?".', control: { kind: 'boolean' } },
	magicLinkSignIn: { label: 'Sign-in links by email', hint: '"Email me a sign-in link" on the sign-in page.', control: { kind: 'boolean' } },
	emailCodeSignIn: { label: 'Sign-in codes by email', hint: '"Email me a code" on the sign-in page.', control: { kind: 'boolean' } },
	passkeys: { label: 'Passkeys', hint: 'Passwordless sign-in and a second factor.', control: { kind: 'boolean' } },
	signUpMode: { label: 'Sign-up', hint: 'Who may create an account on the sign-in page.', control: { kind: 'choice', options: SIGN_UP_MODES.map((value) => ({ value, label: SIGN_UP_LABELS[value] })) } },
	emailVerificationRequired: { label: 'Verified email required for password sign-in', hint: 'Otherwise the account page reminds people to verify.', control: { kind: 'boolean' } },
	mfaPolicy: { label: 'Two-step verification', hint: 'Who must pass a second factor when signing in.', control: { kind: 'choice', options: MFA_POLICIES.map((value) => ({ value, label: MFA_LABELS[value] })) } },
	smsSecondFactor: { label: 'Text-message codes as a second factor', hint: 'Weaker than an authenticator app or a passkey.', control: { kind: 'boolean' } },
	passwordMinLength: { label: 'Minimum password length', hint: '15 to 64 characters; as low as 8 when two-step verification is required for everyone.', control: { kind: 'number', min: 8, max: 64 } },
	newDeviceEmail: { label: 'Email on sign-in from a new browser', hint: 'Tells the account owner when a browser not seen before signs in.', control: { kind: 'boolean' } },
	sessionIdleMinutes: { label: 'Idle session limit (minutes)', hint: 'A session without activity for this long ends.', control: { kind: 'number', min: 5, max: 525_600 } },
	sessionAbsoluteMinutes: { label: 'Session lifetime (minutes)', hint: 'A session ends this long after sign-in, whatever the activity.', control: { kind: 'number', min: 5, max: 525_600 } },
	emailSenderName: { label: 'Email sender name', hint: 'The name emails come from.', control: { kind: 'text', type: 'text', maxLength: 100 } },
	emailSenderAddress: { label: 'Email sender address', hint: 'The address emails come from (your mail server must be allowed to send as it).', control: { kind: 'text', type: 'email', maxLength: 254 } },
}

/** The order and grouping of the form. */
export const SETTING_GROUPS: { title: string; keys: OrgSettingKey[] }[] = [
	{ title: 'Sign-in methods', keys: ['passwordSignIn', 'magicLinkSignIn', 'emailCodeSignIn', 'passkeys'] },
	{ title: 'Sign-up', keys: ['signUpMode', 'emailVerificationRequired'] },
	{ title: 'Passwords and two-step verification', keys: ['passwordMinLength', 'mfaPolicy', 'smsSecondFactor'] },
	{ title: 'Sessions', keys: ['sessionIdleMinutes', 'sessionAbsoluteMinutes', 'newDeviceEmail'] },
	{ title: 'Email sender', keys: ['emailSenderName', 'emailSenderAddress'] },
]

/** What the default falls back to when neither the platform nor the org sets a sender. */
export const UNSET_DEFAULT: Partial<Record<OrgSettingKey, string>> = {
	emailSenderName: "the organization's name",
	emailSenderAddress: 'MAIL_FROM, else no-reply at the base domain',
}

/** A setting's value as the form shows it (and sends it back). */
export function formValue(key: OrgSettingKey, value: unknown): string {
	if (value === undefined || value === null) return ''
	if (SETTING_FIELDS[key].control.kind === 'boolean') return value ? 'on' : 'off'
	return String(value)
}

/** A value as a person reads it, for "Use the default (…)". */
export function describeValue(key: OrgSettingKey, value: unknown): string {
	if (value === undefined || value === null) return UNSET_DEFAULT[key] ?? 'not set'
	const control = SETTING_FIELDS[key].control
	if (control.kind === 'boolean') return value ? 'on' : 'off'
	if (control.kind === 'choice') return control.options.find((option) => option.value === value)?.label ?? String(value)
	return String(value)
}

function valueMessage(key: OrgSettingKey): string {
	const control = SETTING_FIELDS[key].control
	switch (control.kind) {
		case 'boolean':
			return 'Choose on, off or the default'
		case 'choice':
			return `Choose one of: ${control.options.map((option) => option.value).join(', ')}, or the default`
		case 'number':
			return `Enter a whole number from ${control.min} to ${control.max}`
		case 'text':
			return control.type === 'email' ? 'Enter a valid email address' : `Enter 1 to ${control.maxLength} characters, without control characters`
	}
}

function fromForm(key: OrgSettingKey, raw: string): unknown {
	const control = SETTING_FIELDS[key].control
	if (control.kind === 'boolean') return raw === 'on' ? true : raw === 'off' ? false : raw
	if (control.kind === 'number') return /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : raw
	return raw
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/

const shape = Object.fromEntries(ORG_SETTING_KEYS.map((key) => [key, z.string().max(1000, valueMessage(key)).optional()])) as Record<OrgSettingKey, z.ZodOptional<z.ZodString>>

/** An org's form only: the sender rules (sender.ts) and the address stored now, which may stay as it is. */
export type OrgSenderCheck = SenderRules & { stored?: string }

/**
 * The form's schema. `inherited` is what a key takes when left on its default; the rules across
 * keys (settings.ts `settingsIssues`) are judged on the result and reported on the key they name.
 * `sender` (an org's form, not the platform defaults') limits a new sender address to the org's
 * allowed domains. The output is the changes for updateOrgSettings / updatePlatformDefaults:
 * every key, with `null` for "use the default".
 */
export function settingsFormSchema(inherited: Partial<OrgSettings>, sender?: OrgSenderCheck) {
	return z.object(shape).transform((form, ctx): SettingChanges => {
		const changes: Record<string, unknown> = {}
		for (const key of ORG_SETTING_KEYS) {
			const raw = form[key]
			if (raw === undefined || raw.trim() === '') {
				changes[key] = null
				continue
			}
			// PostgreSQL's jsonb refuses NUL, and no setting has a use for control characters.
			const parsed = CONTROL_CHARACTERS.test(raw) ? null : orgSettingsSchema.shape[key].safeParse(fromForm(key, raw))
			if (parsed?.success && parsed.data !== undefined) changes[key] = parsed.data
			else ctx.addIssue({ code: 'custom', path: [key], message: valueMessage(key) })
		}
		if (ctx.issues.length) return z.NEVER
		const address = changes['emailSenderAddress']
		const senderProblem = sender && typeof address === 'string' ? newSenderAddressProblem(sender.stored, address, sender) : null
		if (senderProblem) ctx.addIssue({ code: 'custom', path: ['emailSenderAddress'], message: senderProblem })
		const overrides = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== null))
		const effective = { ...orgSettingsSchema.parse({}), ...inherited, ...overrides } as OrgSettings
		for (const issue of settingsIssues(effective)) ctx.addIssue({ code: 'custom', path: [issue.key], message: issue.message })
		return changes as SettingChanges
	})
}

export type SettingsFormFields = z.input<ReturnType<typeof settingsFormSchema>>
