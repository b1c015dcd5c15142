import { describe, expect, it } from 'vitest'
import { decrypt, encrypt, generatePassword, randomToken, sha256 } from './crypto.server'

const SECRET = 'test-secret-key-with-at-least-32-characters'
const PURPOSE = 'signing-keys'

/** Flips one bit of one decoded part (1 = iv, 2 = tag, 3 = body) and re-encodes it. */
function tamper(sealed: string, part: 1 | 2 | 3, byte = 0): string {
	const parts = sealed.split('.')
	const bytes = Buffer.from(parts[part]!, 'base64url')
	bytes[byte] = bytes[byte]! ^ 0x01
	parts[part] = bytes.toString('base64url')
	return parts.join('.')
}

describe('encrypt / decrypt', () => {
	it('round-trips', () => {
		for (const plaintext of ['hello', '', 'ünïcødé 🔑', 'x'.repeat(100_000), '{"kty":"EC","d":"secret"}']) {
			const sealed = encrypt(plaintext, SECRET, PURPOSE)
			expect(decrypt(sealed, SECRET, PURPOSE)).toBe(plaintext)
		}
	})

	it('writes v1.<iv>.<tag>.<body> with a 12-byte iv and a 16-byte tag', () => {
		const sealed = encrypt('hello', SECRET, PURPOSE)
		const [version, iv, tag, body, ...rest] = sealed.split('.')
		expect(version).toBe('v1')
		expect(rest).toEqual([])
		for (const part of [iv, tag, body]) expect(part).toMatch(/^[A-Za-z0-9_-]+$/)
		expect(Buffer.from(iv!, 'base64url')).toHaveLength(12)
		expect(Buffer.from(tag!, 'base64url')).toHaveLength(16)
		expect(Buffer.from(body!, 'base64url')).toHaveLength(5)
		expect(sealed).not.toContain('hello')
	})

	it('uses a fresh iv each time', () => {
		const a = encrypt('same', SECRET, PURPOSE)
		const b = encrypt('same', SECRET, PURPOSE)
		expect(a).not.toBe(b)
		expect(a.split('.')[1]).not.toBe(b.split('.')[1])
	})

	it('does not decrypt under another purpose', () => {
		const sealed = encrypt('hello', SECRET, PURPOSE)
		expect(() => decrypt(sealed, SECRET, 'totp')).toThrow()
		expect(() => decrypt(sealed, SECRET, `${PURPOSE} `)).toThrow()
	})

	it('does not decrypt under another secret', () => {
		const sealed = encrypt('hello', SECRET, PURPOSE)
		expect(() => decrypt(sealed, `${SECRET}x`, PURPOSE)).toThrow()
		expect(() => decrypt(sealed, 'another-secret-key-with-at-least-32-chars', PURPOSE)).toThrow()
	})

	it.each([
		['iv', 1],
		['tag', 2],
		['body', 3],
	] as const)('throws when the %s is tampered with', (_name, part) => {
		const sealed = encrypt('hello world', SECRET, PURPOSE)
		expect(() => decrypt(tamper(sealed, part), SECRET, PURPOSE)).toThrow()
		expect(() => decrypt(tamper(sealed, part, 4), SECRET, PURPOSE)).toThrow()
	})

	it('throws when the body is truncated or extended', () => {
		const sealed = encrypt('hello world', SECRET, PURPOSE)
		const parts = sealed.split('.')
		const body = Buffer.from(parts[3]!, 'base64url')
		const shorter = [...parts.slice(0, 3), body.subarray(0, body.length - 1).toString('base64url')].join('.')
		const longer = [...parts.slice(0, 3), Buffer.concat([body, Buffer.from([0])]).toString('base64url')].join('.')
		expect(() => decrypt(shorter, SECRET, PURPOSE)).toThrow()
		expect(() => decrypt(longer, SECRET, PURPOSE)).toThrow()
	})

	it('throws when the tag is truncated (GCM accepts short tags unless the length is pinned)', () => {
		const sealed = encrypt('hello world', SECRET, PURPOSE)
		const parts = sealed.split('.')
		const tag = Buffer.from(parts[2]!, 'base64url')
		for (const length of [4, 8, 12, 15]) {
			const truncated = [parts[0], parts[1], tag.subarray(0, length).toString('base64url'), parts[3]].join('.')
			expect(() => decrypt(truncated, SECRET, PURPOSE), `tag of ${length} bytes`).toThrow()
		}
	})

	it('throws on values that are not v1 envelopes', () => {
		const sealed = encrypt('hello', SECRET, PURPOSE)
		for (const bad of ['', 'hello', 'v1', 'v1.a.b', sealed.replace(/^v1/, 'v2'), sealed.split('.').slice(1).join('.')]) {
			expect(() => decrypt(bad, SECRET, PURPOSE), bad).toThrow()
		}
		expect(() => decrypt('v9.a.b.c', SECRET, PURPOSE)).toThrow('Unrecognised encrypted value')
	})
})

describe('randomToken', () => {
	it('is base64url of the given number of bytes (32 by default)', () => {
		const token = randomToken()
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
		expect(Buffer.from(token, 'base64url')).toHaveLength(32)
		expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16)
		expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/)
	})

	it('is unique', () => {
		const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()))
		expect(tokens.size).toBe(1000)
	})
})

describe('sha256', () => {
	it('is the hex digest', () => {
		expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
	})
})

describe('generatePassword', () => {
	const ALPHABET = /^[abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789]+$/

	it('is 24 characters by default, or the length asked for', () => {
		expect(generatePassword()).toHaveLength(24)
		expect(generatePassword(40)).toHaveLength(40)
		expect(generatePassword(1)).toHaveLength(1)
	})

	it('uses only the unambiguous alphabet (no 0, O, 1, l, I, i, o)', () => {
		const sample = Array.from({ length: 200 }, () => generatePassword()).join('')
		expect(sample).toMatch(ALPHABET)
		expect(sample).not.toMatch(/[0O1lIio]/)
	})

	it('draws from the whole alphabet and is unique', () => {
		const passwords = Array.from({ length: 500 }, () => generatePassword())
		expect(new Set(passwords).size).toBe(500)
		// 12,000 draws from 55 symbols: every symbol appears (a miss has probability ~1e-93).
		expect(new Set(passwords.join('')).size).toBe(55)
	})
})
