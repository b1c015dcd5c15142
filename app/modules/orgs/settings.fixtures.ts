import { type OrgSettings } from './settings'

/** The code defaults: what an org gets when neither it nor the platform sets a key. */
export const DEFAULTS: OrgSettings = {
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

export const ALL_METHODS_OFF = { passwordSignIn: false, magicLinkSignIn: false, emailCodeSignIn: false }
