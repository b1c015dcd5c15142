import type * as argon2Module from 'argon2'
import * as argon2 from 'argon2'
import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { ARGON2_OPTIONS, dummyVerify, hashPassword, needsRehash, verifyPassword } from './hash.server'
import { PASSWORD_MAX_BYTES } from './policy'

// Spies around the real argon2, to prove when it is (not) called and with what.
vi.mock('argon2', async (importOriginal) => {
	const actual = await importOriginal<typeof argon2Module>()
	return { ...actual, hash: vi.fn(actual.hash), verify: vi.fn(actual.verify) }
})

const PEPPER = 'test-pepper-0123456789abcdef0123456789abcdef'
const PASSWORD = 'correct horse battery staple'

let stored: string
beforeAll(async () => {
	stored = await hashPassword(PASSWORD, PEPPER)
})
beforeEach(() => {
	vi.mocked(argon2.hash).mockClear()
	vi.mocked(argon2.verify).mockClear()
})

describe('parameters', () => {
	test('argon2id, m=19456 KiB, t=2, p=1', () => {
		expect(ARGON2_OPTIONS).toEqual({ type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 })
		expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
	})

	test('each hash gets its own salt', async () => {
		expect(await hashPassword(PASSWORD, PEPPER)).not.toBe(stored)
	})

	test('needsRehash is false for today’s hashes and true for anything else', () => {
		expect(needsRehash(stored)).toBe(false)
		const params = stored.replace(/^\$argon2id\$v=19\$m=19456,t=2,p=1/, '')
		expect(needsRehash(`$argon2id$v=19$m=65536,t=2,p=1${params}`)).toBe(true)
		expect(needsRehash(`$argon2id$v=19$m=19456,t=3,p=1${params}`)).toBe(true)
		expect(needsRehash(`$argon2id$v=19$m=19456,t=2,p=4${params}`)).toBe(true)
		expect(needsRehash(`$argon2id$v=16$m=19456,t=2,p=1${params}`)).toBe(true)
		expect(needsRehash(`$argon2i$v=19$m=19456,t=2,p=1${params}`)).toBe(true)
		expect(needsRehash('garbage')).toBe(true)
	})
})

describe('verifyPassword', () => {
	test('accepts the password and refuses another', async () => {
		expect(await verifyPassword(stored, PASSWORD, PEPPER)).toBe(true)
		expect(await verifyPassword(stored, `${PASSWORD}!`, PEPPER)).toBe(false)
	})

	test('NFKC: full-width and ASCII, composed and decomposed é verify alike', async () => {
		const fullWidth = await hashPassword('ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ', PEPPER)
		expect(await verifyPassword(fullWidth, 'correct horse battery', PEPPER)).toBe(true)
		const composed = await hashPassword('caf\u00e9 au lait forever', PEPPER)
		expect(await verifyPassword(composed, 'cafe\u0301 au lait forever', PEPPER)).toBe(true)
	})

	test('the pepper matters and never reaches argon2 as part of the stored hash', async () => {
		expect(await verifyPassword(stored, PASSWORD, 'another-pepper-0123456789abcdef')).toBe(false)
		expect(stored).not.toContain(PEPPER)
		// argon2 sees the 32-byte HMAC, not the password: the bare password does not verify.
		expect(await argon2.verify(stored, PASSWORD)).toBe(false)
		await hashPassword(PASSWORD, PEPPER)
		const input = vi.mocked(argon2.hash).mock.calls[0]?.[0]
		expect(Buffer.isBuffer(input) && input.byteLength).toBe(32)
	})

	test.each([
		['empty', ''],
		['not a hash', 'correct horse battery staple'],
		['bcrypt', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
		['truncated', '$argon2id$v=19$m=19456,t=2,p=1$sIS3TT0N'],
		['bad base64', '$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!$@@@@@@@@@@@@@@@@'],
	])('a malformed stored hash (%s) gives false without calling argon2', async (_name, hash) => {
		await expect(verifyPassword(hash, PASSWORD, PEPPER)).resolves.toBe(false)
		expect(argon2.verify).not.toHaveBeenCalled()
	})

	test('a hash argon2 itself rejects gives false instead of throwing', async () => {
		// Well-formed, but m=1 KiB is below argon2's minimum, so the binding throws.
		const tooSmall = stored.replace('m=19456', 'm=1')
		await expect(argon2.verify(tooSmall, 'x')).rejects.toThrow()
		await expect(verifyPassword(tooSmall, PASSWORD, PEPPER)).resolves.toBe(false)
	})
})

describe('oversized input never reaches argon2', () => {
	const tooLong = 'a'.repeat(PASSWORD_MAX_BYTES + 1)

	test('hashPassword refuses it', async () => {
		await expect(hashPassword(tooLong, PEPPER)).rejects.toThrow(RangeError)
		expect(argon2.hash).not.toHaveBeenCalled()
	})

	test('verifyPassword and dummyVerify answer without argon2', async () => {
		expect(await verifyPassword(stored, tooLong, PEPPER)).toBe(false)
		await dummyVerify(tooLong, PEPPER)
		// 342 euro signs: 342 characters but 1,026 bytes.
		expect(await verifyPassword(stored, '€'.repeat(342), PEPPER)).toBe(false)
		// 171 bytes that NFKC expands to 1,881.
		expect(await verifyPassword(stored, '\ufdfa'.repeat(57), PEPPER)).toBe(false)
		expect(argon2.verify).not.toHaveBeenCalled()
	})

	test('huge input is refused before NFKC', async () => {
		const normalize = vi.spyOn(String.prototype, 'normalize')
		try {
			expect(await verifyPassword(stored, 'x'.repeat(10_000_000), PEPPER)).toBe(false)
			expect(normalize).not.toHaveBeenCalled()
		} finally {
			normalize.mockRestore()
		}
	})
})

describe('dummyVerify', () => {
	test('runs a real argon2 verify against a hash with today’s parameters', async () => {
		await expect(dummyVerify(PASSWORD, PEPPER)).resolves.toBeUndefined()
		expect(argon2.verify).toHaveBeenCalledTimes(1)
		const [hash, input] = vi.mocked(argon2.verify).mock.calls[0] ?? []
		// Fails when ARGON2_OPTIONS change without regenerating DUMMY_HASH.
		expect(needsRehash(String(hash))).toBe(false)
		expect(Buffer.isBuffer(input) && input.byteLength).toBe(32)
		await expect(vi.mocked(argon2.verify).mock.results[0]?.value).resolves.toBe(false)
	})
})

test('an empty pepper is a configuration error, not a silent downgrade', async () => {
	await expect(hashPassword(PASSWORD, '')).rejects.toThrow('pepper')
	await expect(verifyPassword(stored, PASSWORD, '')).rejects.toThrow('pepper')
})
