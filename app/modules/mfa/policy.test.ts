import { describe, expect, it } from 'vitest'
import { BUILT_IN_ROLES } from '../permissions/statements'
import { firstFactorAssurance, mfaRequiredFor, secondFactorAssurance, usableSecondFactors, type UserFactors } from './policy'

const none: UserFactors = { totp: false, passkeys: 0, phone: null, backupCodesLeft: 0 }
const on = { mfaPolicy: 'optional', passkeys: true, smsSecondFactor: true } as const

describe('mfaRequiredFor', () => {
	it('follows the org policy and what the role can do', () => {
		expect(mfaRequiredFor({ mfaPolicy: 'off' }, BUILT_IN_ROLES.owner)).toBe(false)
		expect(mfaRequiredFor({ mfaPolicy: 'optional' }, BUILT_IN_ROLES.owner)).toBe(false)
		expect(mfaRequiredFor({ mfaPolicy: 'required' }, BUILT_IN_ROLES.member)).toBe(true)
		expect(mfaRequiredFor({ mfaPolicy: 'required-for-admins' }, BUILT_IN_ROLES.member)).toBe(false)
		expect(mfaRequiredFor({ mfaPolicy: 'required-for-admins' }, BUILT_IN_ROLES.admin)).toBe(true)
		expect(mfaRequiredFor({ mfaPolicy: 'required-for-admins' }, BUILT_IN_ROLES.owner)).toBe(true)
	})

	it('holds any role that can manage users, roles, apps, settings or keys to required-for-admins, whatever its name', () => {
		const policy = { mfaPolicy: 'required-for-admins' } as const
		for (const statements of [{ user: ['delete'] }, { invitation: ['create'] }, { role: ['update'] }, { app: ['create'] }, { settings: ['update'] }, { apiKey: ['create'] }, { org: ['update'] }] as const) {
			expect(mfaRequiredFor(policy, statements), JSON.stringify(statements)).toBe(true)
		}
		// Reading is not managing.
		expect(mfaRequiredFor(policy, { user: ['read'], audit: ['read', 'export'], settings: ['read'], team: ['read'] })).toBe(false)
	})
})

describe('usableSecondFactors', () => {
	it('lists what the user has and the org allows, strongest first, backup codes last', () => {
		expect(usableSecondFactors(on, { totp: true, passkeys: 2, phone: '+14155550123', backupCodesLeft: 3 })).toEqual(['passkey', 'totp', 'sms', 'backup-code'])
		expect(usableSecondFactors({ ...on, passkeys: false, smsSecondFactor: false }, { totp: true, passkeys: 2, phone: '+14155550123', backupCodesLeft: 0 })).toEqual(['totp'])
	})

	it('never offers backup codes alone: they stand in for a factor, they are not one', () => {
		expect(usableSecondFactors(on, { ...none, backupCodesLeft: 10 })).toEqual([])
	})

	it('offers nothing when the policy is off', () => {
		expect(usableSecondFactors({ ...on, mfaPolicy: 'off' }, { totp: true, passkeys: 1, phone: '+14155550123', backupCodesLeft: 10 })).toEqual([])
	})
})

describe('assurance', () => {
	it('is aal1 for one knowledge or email factor, aal2 for a passkey', () => {
		expect(firstFactorAssurance('password')).toEqual({ aal: 'aal1', amr: ['pwd'] })
		expect(firstFactorAssurance('email-code')).toEqual({ aal: 'aal1', amr: ['otp', 'email'] })
		expect(firstFactorAssurance('passkey')).toEqual({ aal: 'aal2', amr: ['hwk', 'user', 'mfa'] })
	})

	it('is aal2 with both factors named once a second factor passes', () => {
		expect(secondFactorAssurance(['pwd'], 'totp')).toEqual({ aal: 'aal2', amr: ['pwd', 'otp', 'mfa'] })
		expect(secondFactorAssurance(['pwd', 'otp', 'mfa'], 'sms')).toEqual({ aal: 'aal2', amr: ['pwd', 'otp', 'mfa', 'sms'] })
	})
})
