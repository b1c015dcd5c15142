import { z } from 'zod'

/**
 * The shapes the browser sends (what @simplewebauthn/browser produces), checked before the
 * WebAuthn library sees them, plus the passkey name rules shared by the form and the server.
 */
const base64url = z.string().min(1).max(16_384).regex(/^[A-Za-z0-9_-]+={0,2}$/, 'not base64url')

const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const

const common = {
	id: base64url.max(1366),
	rawId: base64url.max(1366),
	type: z.literal('public-key'),
	authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
	clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
}

export const RegistrationResponseSchema = z.object({
	...common,
	response: z.object({
		clientDataJSON: base64url,
		attestationObject: base64url,
		authenticatorData: base64url.optional(),
		transports: z.array(z.string().max(32)).max(10).optional(),
		publicKeyAlgorithm: z.number().int().optional(),
		publicKey: base64url.optional(),
	}),
})

export const AuthenticationResponseSchema = z.object({
	...common,
	response: z.object({
		clientDataJSON: base64url,
		authenticatorData: base64url,
		signature: base64url,
		userHandle: base64url.max(1366).optional(),
	}),
})

/** Only transports WebAuthn defines are stored and handed back to browsers. */
export function knownTransports(transports: readonly string[] | undefined): string[] {
	return (transports ?? []).filter((transport): transport is (typeof TRANSPORTS)[number] => (TRANSPORTS as readonly string[]).includes(transport))
}

export const PASSKEY_NAME_MAX = 64

/** A passkey's name: trimmed, 1–64 characters, no control characters. */
export const PasskeyNameSchema = z
	.string()
	.trim()
	.min(1, 'Enter a name.')
	.max(PASSKEY_NAME_MAX, `Use at most ${PASSKEY_NAME_MAX} characters.`)
	.refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'Use letters, digits and punctuation only.')

export const PasskeyIdSchema = z.string().regex(/^[a-z0-9]{20,40}$/)

export const SignInModeSchema = z.enum(['sign-in', 'second-factor'])
export type PasskeyMode = z.infer<typeof SignInModeSchema>
