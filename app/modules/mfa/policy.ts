import { type OrgSettings } from '../orgs/settings'
import { holdsAnyOf, type Permissions } from '../permissions/statements'

/** What a user has set up, as far as signing in is concerned. */
export type UserFactors = {
	totp: boolean
	passkeys: number
	/** The verified phone number, if any. */
	phone: string | null
	backupCodesLeft: number
}

export type SecondFactorMethod = 'totp' | 'passkey' | 'sms' | 'backup-code'

export type Aal = 'aal1' | 'aal2'

/**
 * What `required-for-admins` means: a role that can manage users (or invite them), roles, apps,
 * settings, API keys or the platform's orgs. Judged by statements, not by role name, so a custom
 * role with admin-level statements is held to the same policy as the built-in admin.
 */
export const ADMIN_LEVEL_STATEMENTS: Permissions = {
	user: ['create', 'update', 'delete'],
	invitation: ['create'],
	role: ['create', 'update', 'delete'],
	app: ['create', 'update', 'delete'],
	settings: ['update'],
	apiKey: ['create', 'delete'],
	org: ['create', 'update'],
}

/** Whether the org's policy demands a second factor of someone whose role grants `permissions`. */
export function mfaRequiredFor(settings: Pick<OrgSettings, 'mfaPolicy'>, permissions: Permissions): boolean {
	return settings.mfaPolicy === 'required' || (settings.mfaPolicy === 'required-for-admins' && holdsAnyOf(permissions, ADMIN_LEVEL_STATEMENTS))
}

/**
 * The second factors this user can pass here, strongest first. Backup codes are listed only beside
 * a real factor: they recover one, they are not one. With the policy off, none are asked for;
 * passkeys still sign in on their own.
 */
export function usableSecondFactors(settings: Pick<OrgSettings, 'mfaPolicy' | 'passkeys' | 'smsSecondFactor'>, factors: UserFactors): SecondFactorMethod[] {
	if (settings.mfaPolicy === 'off') return []
	const methods: SecondFactorMethod[] = []
	if (factors.passkeys > 0 && settings.passkeys) methods.push('passkey')
	if (factors.totp) methods.push('totp')
	if (factors.phone && settings.smsSecondFactor) methods.push('sms')
	if (methods.length && factors.backupCodesLeft > 0) methods.push('backup-code')
	return methods
}

/** RFC 8176 method references for each way of proving who one is. */
export const AMR = {
	password: ['pwd'],
	'magic-link': ['email'],
	'email-code': ['otp', 'email'],
	'email-verification': ['email'],
	passkey: ['hwk', 'user'],
	totp: ['otp'],
	'backup-code': ['kba'],
	sms: ['sms'],
} as const satisfies Record<string, readonly string[]>

export type AuthMethod = keyof typeof AMR

export type Assurance = { aal: Aal; amr: string[] }

/** A sign-in with one method: aal2 only for a passkey (possession, unlocked by the user's PIN or biometric). */
export function firstFactorAssurance(method: AuthMethod): Assurance {
	return method === 'passkey' ? { aal: 'aal2', amr: [...AMR.passkey, 'mfa'] } : { aal: 'aal1', amr: [...AMR[method]] }
}

/** A second factor on top of a first (a pending sign-in or a live session): always aal2. */
export function secondFactorAssurance(firstAmr: readonly string[], method: SecondFactorMethod): Assurance {
	return { aal: 'aal2', amr: [...new Set([...firstAmr, ...AMR[method], 'mfa'])] }
}
