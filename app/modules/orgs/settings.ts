import { z } from 'zod'

/**
 * Per-org sign-in settings. An org stores only the keys it overrides (Organization.settings);
 * everything else comes from the operator's platform defaults (PlatformSetting
 * `orgSettingsDefaults`), and what neither sets comes from the `@default`s below. Stored JSON is
 * always read through this schema, so a missing key takes its default and an old row never breaks
 * a newer build.
 */
export const SIGN_UP_MODES = ['open', 'invite', 'closed'] as const

/**
 * Who must pass a second factor: nobody (second factors are neither asked for nor offered), those
 * who set one up, everyone, or owners and admins only.
 */
export const MFA_POLICIES = ['off', 'optional', 'required', 'required-for-admins'] as const
export type MfaPolicy = (typeof MFA_POLICIES)[number]

/** NIST SP 800-63B-4: 15 for a password used alone, 8 when every sign-in also needs a second factor. */
export const SINGLE_FACTOR_PASSWORD_MIN = 15

const fields = {
	/** Password sign-in (and "Forgot password?"). @default true */
	passwordSignIn: z.boolean().default(true),
	/** "Email me a sign-in link". @default true */
	magicLinkSignIn: z.boolean().default(true),
	/** "Email me a code". @default true */
	emailCodeSignIn: z.boolean().default(true),
	/** Sign-up on the hosted login: anyone, invited addresses only, or nobody. @default 'open' */
	signUpMode: z.enum(SIGN_UP_MODES).default('open'),
	/** Refuse password sign-in until the address is verified. @default false (a reminder on /account instead) */
	emailVerificationRequired: z.boolean().default(false),
	/** @default 15 (NIST SP 800-63B-4 for single-factor passwords; as low as 8 when mfaPolicy is `required`) */
	passwordMinLength: z.number().int().min(8).max(64).default(15),
	/** Second factors (TOTP, backup codes, passkeys, SMS): see MFA_POLICIES. @default 'optional' */
	mfaPolicy: z.enum(MFA_POLICIES).default('optional'),
	/** Text-message codes as a second factor (weaker than an app or a passkey). @default true */
	smsSecondFactor: z.boolean().default(true),
	/** Passkeys: passwordless sign-in and a second factor. @default true */
	passkeys: z.boolean().default(true),
	/** Email the user when their account is signed in to from a browser not seen before. @default true */
	newDeviceEmail: z.boolean().default(true),
	/** Minutes without activity after which a session ends. @default 4320 (3 days) */
	sessionIdleMinutes: z.number().int().min(5).max(525_600).default(4320),
	/** Minutes after sign-in after which a session ends whatever the activity. @default 43200 (30 days) */
	sessionAbsoluteMinutes: z.number().int().min(5).max(525_600).default(43_200),
	/** Sender name on the org's email. @default the org's name */
	emailSenderName: z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]*$/, 'cannot contain control characters').optional(),
	/** Sender address on the org's email. @default MAIL_FROM, else no-reply@<base domain> */
	emailSenderAddress: z.string().trim().toLowerCase().email().max(254).optional(),
}

export const orgSettingsSchema = z.object(fields)

export type OrgSettings = z.infer<typeof orgSettingsSchema>
export type OrgSettingKey = keyof typeof fields
export const ORG_SETTING_KEYS = Object.keys(fields) as OrgSettingKey[]

/** Rules across keys, applied to every write; a stored value that breaks them is repaired on read. */
export function settingsIssues(settings: OrgSettings): { key: OrgSettingKey; message: string }[] {
	const issues: { key: OrgSettingKey; message: string }[] = []
	if (!settings.passwordSignIn && !settings.magicLinkSignIn && !settings.emailCodeSignIn) {
		issues.push({ key: 'passwordSignIn', message: 'At least one sign-in method must stay on (passwordSignIn, magicLinkSignIn or emailCodeSignIn)' })
	}
	if (settings.passwordMinLength < SINGLE_FACTOR_PASSWORD_MIN && settings.mfaPolicy !== 'required') {
		issues.push({ key: 'passwordMinLength', message: `passwordMinLength: below ${SINGLE_FACTOR_PASSWORD_MIN} needs mfaPolicy=required` })
	}
	if (settings.sessionIdleMinutes > settings.sessionAbsoluteMinutes) {
		issues.push({ key: 'sessionIdleMinutes', message: 'sessionIdleMinutes cannot be longer than sessionAbsoluteMinutes' })
	}
	return issues
}

/**
 * The effective settings: platform defaults, then the org's overrides, each key checked on its
 * own so a value this build rejects (written by a newer build, or by hand) falls back to the
 * default for that key alone.
 */
export function parseOrgSettings(stored: unknown, platformDefaults: unknown = {}): OrgSettings {
	const merged: Record<string, unknown> = {}
	for (const key of ORG_SETTING_KEYS) {
		const schema = fields[key]
		const fromOrg = schema.safeParse(asRecord(stored)[key])
		const fromPlatform = schema.safeParse(asRecord(platformDefaults)[key])
		const value = asRecord(stored)[key] !== undefined && fromOrg.success ? fromOrg.data : fromPlatform.success ? fromPlatform.data : schema.parse(undefined)
		if (value !== undefined) merged[key] = value
	}
	const settings = merged as OrgSettings
	// Repairs keep the hosted login usable: an org never ends up with no way to sign in.
	for (const issue of settingsIssues(settings)) {
		if (issue.key === 'passwordSignIn') settings.passwordSignIn = true
		if (issue.key === 'sessionIdleMinutes') settings.sessionIdleMinutes = settings.sessionAbsoluteMinutes
		if (issue.key === 'passwordMinLength') settings.passwordMinLength = SINGLE_FACTOR_PASSWORD_MIN
	}
	return settings
}

/** Only keys this build knows, with values that pass their schema: what an org may store. */
export function parseSettingOverrides(stored: unknown): Partial<OrgSettings> {
	const overrides: Record<string, unknown> = {}
	for (const key of ORG_SETTING_KEYS) {
		const raw = asRecord(stored)[key]
		if (raw === undefined) continue
		const parsed = fields[key].safeParse(raw)
		if (parsed.success) overrides[key] = parsed.data
	}
	return overrides as Partial<OrgSettings>
}

export type SettingChanges = Partial<Record<OrgSettingKey, unknown | null>>

/**
 * `key=value` words (the CLI's) into typed changes. An empty value (`key=`) removes the override,
 * so the key follows the defaults again. Returns field messages instead of throwing.
 */
export function parseSettingAssignments(words: string[]): { ok: true; changes: SettingChanges } | { ok: false; errors: string[] } {
	const changes: Record<string, unknown> = {}
	const errors: string[] = []
	for (const word of words) {
		const eq = word.indexOf('=')
		const key = eq === -1 ? word : word.slice(0, eq)
		if (eq === -1) {
			errors.push(`${word}: expected key=value`)
			continue
		}
		if (!(ORG_SETTING_KEYS as string[]).includes(key)) {
			errors.push(`${key}: unknown setting (one of ${ORG_SETTING_KEYS.join(', ')})`)
			continue
		}
		const raw = word.slice(eq + 1)
		if (raw === '') {
			changes[key] = null
			continue
		}
		const value = coerce(key as OrgSettingKey, raw)
		const parsed = fields[key as OrgSettingKey].safeParse(value)
		if (parsed.success) changes[key] = parsed.data
		else errors.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`)
	}
	return errors.length ? { ok: false, errors } : { ok: true, changes: changes as SettingChanges }
}

function coerce(key: OrgSettingKey, raw: string): unknown {
	const sample = orgSettingsSchema.parse({})[key]
	if (typeof sample === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw
	if (typeof sample === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
	return raw
}

/**
 * Applies changes to stored overrides and checks the result as a whole. `null` removes a key.
 * Returns the new overrides to store (unknown keys kept) and the effective settings, or field
 * messages.
 */
export function applySettingChanges(
	storedOverrides: unknown,
	changes: SettingChanges,
	platformDefaults: unknown,
): { ok: true; overrides: Partial<OrgSettings>; settings: OrgSettings } | { ok: false; errors: string[] } {
	// Keys this build does not know (written by a newer one) are kept as they are, not erased.
	const unknown = Object.fromEntries(Object.entries(asRecord(storedOverrides)).filter(([key]) => !(ORG_SETTING_KEYS as string[]).includes(key)))
	const next: Record<string, unknown> = { ...parseSettingOverrides(storedOverrides) }
	const errors: string[] = []
	for (const [key, value] of Object.entries(changes)) {
		if (!(ORG_SETTING_KEYS as string[]).includes(key)) {
			errors.push(`${key}: unknown setting`)
			continue
		}
		if (value === null) {
			delete next[key]
			continue
		}
		const parsed = fields[key as OrgSettingKey].safeParse(value)
		if (parsed.success) next[key] = parsed.data
		else errors.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`)
	}
	if (errors.length) return { ok: false, errors }
	const known = next as Partial<OrgSettings>
	const settings = parseOrgSettingsStrict(known, platformDefaults)
	const issues = settingsIssues(settings)
	if (issues.length) return { ok: false, errors: issues.map((issue) => issue.message) }
	return { ok: true, overrides: { ...unknown, ...known } as Partial<OrgSettings>, settings }
}

/** Like parseOrgSettings, without the repairs: used to judge a write. */
function parseOrgSettingsStrict(overrides: Partial<OrgSettings>, platformDefaults: unknown): OrgSettings {
	return { ...orgSettingsSchema.parse(parseSettingOverrides(platformDefaults)), ...overrides } as OrgSettings
}

function asRecord(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
