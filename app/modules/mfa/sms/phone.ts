import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * Phone numbers are stored and compared in E.164 (`+14155550123`). Rules:
 * - input must start with `+` and the country code: without it a number is ambiguous, and we
 *   would rather ask than text a stranger in another country;
 * - spaces, dashes, dots and parentheses between digits are fine; an extension is not (a text
 *   cannot reach one);
 * - the number must be valid for its country (full libphonenumber metadata, not just a length);
 * - anything over 32 characters is refused before parsing.
 */
export const PHONE_INPUT_MAX = 32

export type PhoneParse = { ok: true; e164: string } | { ok: false; message: string }

export function parsePhoneNumber(raw: unknown): PhoneParse {
	if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, message: 'Enter a phone number.' }
	const input = raw.trim()
	if (input.length > PHONE_INPUT_MAX) return { ok: false, message: 'That phone number is too long.' }
	if (!input.startsWith('+')) return { ok: false, message: 'Start with + and the country code, e.g. +1 415 555 0123.' }
	if (!/^\+[\d\s().-]+$/.test(input)) return { ok: false, message: 'A phone number has only digits after the +.' }
	const parsed = parsePhoneNumberFromString(input)
	if (!parsed || parsed.ext || !parsed.isValid()) return { ok: false, message: 'That is not a valid phone number. Check the country code and the digits.' }
	return { ok: true, e164: parsed.number }
}

/** Whether a stored value is an E.164 number (a `+`, a non-zero digit, at most 15 digits in all). */
export function isE164(value: string): boolean {
	return /^\+[1-9]\d{1,14}$/.test(value)
}

/** For showing a number back to its owner, grouped the international way: `+1 415 555 0123`. */
export function formatPhoneNumber(e164: string): string {
	return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}
