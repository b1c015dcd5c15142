import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { loadPasswordBlocklist } from './blocklist.server'
import {
	checkPassword,
	fitsPasswordMaxBytes,
	normalizePassword,
	PASSWORD_MAX_BYTES,
	passwordInputSchema,
	passwordSchema,
	type PasswordPolicyOptions,
} from './policy'

let blocklist: ReadonlySet<string>
beforeAll(async () => {
	blocklist = await loadPasswordBlocklist()
})
afterEach(() => {
	vi.restoreAllMocks()
})

const GOOD = 'correct horse battery staple'

function check(raw: string, options: Partial<PasswordPolicyOptions> = {}) {
	return checkPassword(raw, { minLength: 15, blocklist, ...options })
}

// Distinct characters so the repetition rule never applies to filler.
function filler(length: number) {
	let text = ''
	for (let i = 0; text.length < length; i++) text += `${i}-${(i * 7919) % 1000}.`
	return text.slice(0, length)
}

describe('normalization', () => {
	test('NFKC folds full-width forms to ASCII', () => {
		const result = check('ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ')
		expect(result).toEqual({ ok: true, password: 'correct horse battery' })
	})

	test('composed and decomposed é are one password', () => {
		const composed = 'caf\u00e9 au lait forever'
		const decomposed = 'cafe\u0301 au lait forever'
		expect(composed).not.toBe(decomposed)
		expect(normalizePassword(decomposed)).toBe(normalizePassword(composed))
		expect(check(decomposed)).toEqual({ ok: true, password: composed })
	})

	test('spaces, non-Latin scripts and emoji are allowed; NBSP becomes a space', () => {
		expect(check('пароль для входа 🔑 ok')).toMatchObject({ ok: true })
		expect(check('correct\u00a0horse battery')).toEqual({ ok: true, password: 'correct horse battery' })
		// ZWJ (a format character, not a control character) builds family emoji.
		expect(check('my family 👨‍👩‍👧 is great')).toMatchObject({ ok: true })
	})
})

describe('length', () => {
	test('counts code points after NFKC, not UTF-16 units', () => {
		const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰']
		expect(emoji.join('').length).toBe(30)
		expect(check(emoji.join(''))).toMatchObject({ ok: true })
		// 14 code points but 28 UTF-16 units: too short.
		expect(check(emoji.slice(0, 14).join(''))).toMatchObject({ ok: false, code: 'TOO_SHORT' })
	})

	test('the message names the minimum in force', () => {
		expect(check('short')).toEqual({ ok: false, code: 'TOO_SHORT', message: 'Use at least 15 characters' })
		expect(check('fourteen chars', { minLength: 15 })).toMatchObject({ code: 'TOO_SHORT' })
		expect(check('fifteen chars!!', { minLength: 15 })).toMatchObject({ ok: true })
		expect(check('seven c', { minLength: 8 })).toMatchObject({ message: 'Use at least 8 characters' })
		expect(check('eight ch', { minLength: 8 })).toMatchObject({ ok: true })
	})

	test('never below 8 whatever the setting says', () => {
		expect(check('seven c', { minLength: 4 })).toMatchObject({ code: 'TOO_SHORT', message: 'Use at least 8 characters' })
	})

	test('1,024 UTF-8 bytes pass, 1,025 are refused', () => {
		expect(check(filler(PASSWORD_MAX_BYTES))).toMatchObject({ ok: true })
		expect(check(filler(PASSWORD_MAX_BYTES + 1))).toMatchObject({ ok: false, code: 'TOO_LONG' })
	})

	test('the limit is in bytes: 342 euro signs are 1,026 bytes', () => {
		const euros = '€'.repeat(342)
		expect(fitsPasswordMaxBytes('€'.repeat(341))).toBe(true)
		expect(check(euros)).toMatchObject({ ok: false, code: 'TOO_LONG' })
	})

	test('input that NFKC expands past the limit is refused', () => {
		// U+FDFA is 3 bytes and normalizes to 18 characters (33 bytes).
		const raw = '\ufdfa'.repeat(57)
		expect(fitsPasswordMaxBytes(raw)).toBe(true)
		expect(check(raw)).toMatchObject({ ok: false, code: 'TOO_LONG' })
	})

	test('huge input is refused before NFKC or any per-character work', () => {
		const normalize = vi.spyOn(String.prototype, 'normalize')
		const huge = 'x'.repeat(10_000_000)
		expect(check(huge)).toMatchObject({ ok: false, code: 'TOO_LONG' })
		expect(normalize).not.toHaveBeenCalled()
	})
})

describe('control characters', () => {
	test.each([
		['NUL', '\u0000'],
		['tab', '\t'],
		['line feed', '\n'],
		['DEL', '\u007f'],
		['C1 NEL', '\u0085'],
		['C1 CSI', '\u009b'],
		['lone surrogate', '\ud800'],
	])('%s is refused with a clear message', (_name, char) => {
		expect(check(`${GOOD}${char}`)).toEqual({
			ok: false,
			code: 'CONTROL_CHARACTERS',
			message: 'Remove tabs, line breaks and other invisible control characters',
		})
	})
})

describe('blocklist', () => {
	test('is the shipped list, loaded once', async () => {
		expect(blocklist.size).toBeGreaterThan(40_000)
		expect(await loadPasswordBlocklist()).toBe(blocklist)
	})

	test.each(['passwordpassword', '1qaz2wsx3edc4rfv', 'qwertyuiop12345'])('%s is refused', (password) => {
		expect(check(password)).toEqual({
			ok: false,
			code: 'TOO_COMMON',
			message: 'This password is too common. Pick something harder to guess.',
		})
	})

	test.each(['baseball', 'trustno1', 'iloveyou'])('%s is refused where 8 is the minimum', (password) => {
		expect(check(password, { minLength: 8 })).toMatchObject({ code: 'TOO_COMMON' })
	})

	test('compares case-insensitively after NFKC', () => {
		expect(check('PassWordPASSWORD')).toMatchObject({ code: 'TOO_COMMON' })
		expect(check('ＱＷＥＲＴＹＵＩＯＰ１２３４５')).toMatchObject({ code: 'TOO_COMMON' })
	})

	test('a short unit repeated, or a listed word repeated, is refused', () => {
		expect(check('aaaaaaaaaaaaaaa')).toMatchObject({ code: 'TOO_COMMON' })
		expect(check('abcdabcdabcdabcd')).toMatchObject({ code: 'TOO_COMMON' })
		expect(check('DragonDragonDragon')).toMatchObject({ code: 'TOO_COMMON' })
		// Repeated, but the unit is neither short nor listed.
		expect(check('zq9#vk!mzq9#vk!m')).toMatchObject({ ok: true })
	})

	test('the browser skips the list and leaves it to the server', () => {
		expect(check('passwordpassword', { blocklist: null })).toMatchObject({ ok: true })
		expect(check('aaaaaaaaaaaaaaa', { blocklist: null })).toMatchObject({ code: 'TOO_COMMON' })
	})
})

describe('context words', () => {
	const context = ['alice.smith', 'Acme Corp', 'acme-corp']

	test('a password made mainly of a context word is refused', () => {
		for (const password of ['alice.smith2024!', 'AcmeCorpAcmeCorp', 'acme-corp-acme-corp', 'SmithAlice123456']) {
			expect(check(password, { context }), password).toEqual({
				ok: false,
				code: 'CONTAINS_CONTEXT',
				message:
					'This password is too close to your email address or the organization’s name. Pick something harder to guess.',
			})
			expect(check(password), password).toMatchObject({ ok: true })
		}
	})

	test('a password equal to a context word is refused, after NFKC and case folding', () => {
		const org = ['Northwind Traders International']
		expect(check('northwind traders international', { context: org })).toMatchObject({ code: 'CONTAINS_CONTEXT' })
		expect(check('ＮＯＲＴＨＷＩＮＤ traders international', { context: org })).toMatchObject({
			code: 'CONTAINS_CONTEXT',
		})
	})

	test('a passphrase that merely mentions a context word is allowed', () => {
		expect(check('alice likes purple mountain sunsets', { context })).toMatchObject({ ok: true })
	})
})

describe('schemas', () => {
	test('passwordSchema applies the policy and yields the normalized password', () => {
		const schema = passwordSchema({ minLength: 15, blocklist })
		expect(schema.parse('ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ')).toBe('correct horse battery')
		const refused = schema.safeParse('passwordpassword')
		expect(refused.success).toBe(false)
		expect(refused.error?.issues[0]?.message).toBe('This password is too common. Pick something harder to guess.')
		expect(schema.safeParse(undefined).error?.issues[0]?.message).toBe('Enter a password')
	})

	test('passwordInputSchema checks only presence and size', () => {
		expect(passwordInputSchema.parse('short')).toBe('short')
		expect(passwordInputSchema.safeParse('').success).toBe(false)
		expect(passwordInputSchema.safeParse(undefined).error?.issues[0]?.message).toBe('Enter your password')
		expect(passwordInputSchema.safeParse('a'.repeat(PASSWORD_MAX_BYTES)).success).toBe(true)
		expect(passwordInputSchema.safeParse('a'.repeat(PASSWORD_MAX_BYTES + 1)).success).toBe(false)
		expect(passwordInputSchema.safeParse('é'.repeat(513)).success).toBe(false)
	})
})
