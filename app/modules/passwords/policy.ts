import { z } from 'zod'

/**
 * Password policy (NIST SP 800-63B-4, OWASP ASVS 5.0). Pure, so the same rules run in the
 * browser (Conform) and on the server. Rules, in the order they are checked:
 * - more than 1,024 UTF-8 bytes is refused before any normalization or hashing
 * - NFKC, so visually identical input (full-width, composed/decomposed) is one password
 * - control characters (C0, DEL, C1) are refused; spaces and all printable Unicode are allowed
 * - length counts Unicode code points after NFKC; never below 8 whatever the setting says
 * - no composition rules
 * - refused when made mainly of a context word (email local part, org name or slug)
 * - refused when on the shipped blocklist, or a short or listed unit repeated (`abcabcabc…`)
 */

/** Longer input is refused before any expensive work: argon2 and NFKC cost grows with it. */
export const PASSWORD_MAX_BYTES = 1024

/** Default minimum length in code points (NIST SP 800-63B-4 for single-factor passwords). */
export const PASSWORD_MIN_LENGTH = 15

/** The lowest minimum allowed, and only for orgs that require MFA (NIST floor). */
export const PASSWORD_MIN_LENGTH_WITH_MFA = 8

/** User-facing messages, keyed by a stable code the UI and tests can match on. */
export const PASSWORD_ERROR_CODES = {
	TOO_SHORT: 'Use at least {minLength} characters',
	TOO_LONG: 'Use at most 1,024 characters (fewer with accents, symbols or emoji)',
	CONTROL_CHARACTERS: 'Remove tabs, line breaks and other invisible control characters',
	CONTAINS_CONTEXT:
		'This password is too close to your email address or the organization’s name. Pick something harder to guess.',
	TOO_COMMON: 'This password is too common. Pick something harder to guess.',
} as const

export type PasswordIssue = keyof typeof PASSWORD_ERROR_CODES

export type PasswordCheck =
	| { ok: true, password: string }
	| { ok: false, code: PasswordIssue, message: string }

export type PasswordPolicyOptions = {
	/** Minimum length in code points: the org setting (15 by default, 8 only with required MFA). */
	minLength: number
	/** Words the password must not be built from: the email's local part, the org's name and slug. */
	context?: string[]
	/**
	 * Lowercased NFKC common passwords, from `loadPasswordBlocklist()` on the server. Required so
	 * a server caller cannot forget it; `null` only in the browser, where the list is not shipped
	 * and the server checks again.
	 */
	blocklist: ReadonlySet<string> | null
}

export function normalizePassword(raw: string): string {
	return raw.normalize('NFKC')
}

/** Cheap: decides huge input from its UTF-16 length alone, without walking it. */
export function fitsPasswordMaxBytes(value: string): boolean {
	// Every UTF-16 code unit takes at least one UTF-8 byte, so this never refuses a fitting value.
	if (value.length > PASSWORD_MAX_BYTES) return false
	return utf8ByteLength(value) <= PASSWORD_MAX_BYTES
}

/** Callers hash `password` from an ok result, so a refused password never reaches argon2. */
export function checkPassword(raw: string, options: PasswordPolicyOptions): PasswordCheck {
	if (!fitsPasswordMaxBytes(raw)) return refuse('TOO_LONG')
	const password = normalizePassword(raw)
	// NFKC can expand (U+FDFA becomes 18 characters); the normalized form is what gets hashed.
	if (!fitsPasswordMaxBytes(password)) return refuse('TOO_LONG')
	// Lone surrogates count too: they cannot be typed and UTF-8 would turn them all into U+FFFD.
	if (/[\p{Cc}\p{Cs}]/u.test(password)) return refuse('CONTROL_CHARACTERS')

	const minLength = Math.max(PASSWORD_MIN_LENGTH_WITH_MFA, options.minLength)
	if ([...password].length < minLength) return refuse('TOO_SHORT', minLength)

	const lower = password.toLowerCase()
	if (isMainlyContext(lower, options.context ?? [])) return refuse('CONTAINS_CONTEXT')
	if (isCommon(lower, options.blocklist)) return refuse('TOO_COMMON')
	return { ok: true, password }
}

/** Sign-up and password change: the full policy; parses to the normalized password. */
export function passwordSchema(options: PasswordPolicyOptions) {
	return z.string({ error: 'Enter a password' }).transform((raw, ctx) => {
		const result = checkPassword(raw, options)
		if (result.ok) return result.password
		ctx.addIssue({ code: 'custom', message: result.message, params: { passwordIssue: result.code } })
		return z.NEVER
	})
}

/**
 * Sign-in: no policy, since passwords set under older rules must still work; only the size
 * limit, so an oversized body never reaches argon2.
 */
export const passwordInputSchema = z
	.string({ error: 'Enter your password' })
	.min(1, { error: 'Enter your password' })
	.refine(fitsPasswordMaxBytes, { error: PASSWORD_ERROR_CODES.TOO_LONG, abort: true })

function refuse(code: PasswordIssue, minLength?: number): PasswordCheck {
	const message = PASSWORD_ERROR_CODES[code].replace('{minLength}', String(minLength))
	return { ok: false, code, message }
}

// "Mainly" = context words cover at least half of the password once every occurrence is removed,
// so `alice.smith2024!` is refused for alice.smith but a long passphrase that mentions alice is not.
function isMainlyContext(lower: string, context: string[]): boolean {
	const tokens = contextTokens(context)
	if (tokens.length === 0) return false
	let rest = lower
	for (const token of tokens) rest = rest.split(token).join('')
	return [...rest].length * 2 <= [...lower].length
}

// The whole word and its parts (`acme-corp` → acme, corp), longest first so the whole word is
// removed before its parts. Parts under 3 code points would match by chance in any passphrase.
function contextTokens(context: string[]): string[] {
	const tokens = new Set<string>()
	for (const word of context) {
		const lower = word.normalize('NFKC').toLowerCase().trim()
		for (const token of [lower, ...lower.split(/[^\p{L}\p{N}]+/u)]) {
			if ([...token].length >= 3) tokens.add(token)
		}
	}
	return [...tokens].sort((a, b) => b.length - a.length)
}

// NIST lists repetitive input next to common passwords: `aaaaaaaaaaaaaaa`, `abcabcabcabcabc`
// and `dragondragondragon` pass any length rule but are guessed first.
function isCommon(lower: string, blocklist: ReadonlySet<string> | null): boolean {
	if (blocklist?.has(lower)) return true
	const unit = repeatingUnit([...lower])
	if (unit === null) return false
	return [...unit].length <= 4 || (blocklist?.has(unit) ?? false)
}

/** The shortest unit the whole password is a repetition of, or null when it is not one. */
function repeatingUnit(codePoints: string[]): string | null {
	const n = codePoints.length
	for (let size = 1; size <= n / 2; size++) {
		if (n % size !== 0) continue
		let repeats = true
		for (let i = size; i < n && repeats; i++) repeats = codePoints[i] === codePoints[i - size]
		if (repeats) return codePoints.slice(0, size).join('')
	}
	return null
}

// Counted rather than encoded so the browser bundle needs no TextEncoder allocation per keystroke.
function utf8ByteLength(value: string): number {
	let bytes = 0
	for (const char of value) {
		const codePoint = char.codePointAt(0) ?? 0
		bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4
	}
	return bytes
}
