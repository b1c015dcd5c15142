import { describe, expect, it } from 'vitest'
import { emailSchema, normalizeEmail } from './email'

describe('emailSchema', () => {
	it('normalises to one canonical form', () => {
		expect(emailSchema.parse('  Ada@Example.COM ')).toBe('ada@example.com')
		expect(emailSchema.parse('ａｄａ@example.com')).toBe('ada@example.com') // full-width
		expect(normalizeEmail('ADA@acme.localhost')).toBe('ada@acme.localhost')
	})

	it('refuses garbage with a message', () => {
		const cases: unknown[] = ['', 'not-an-email', 'a@b', 'ada\u0000@example.com', 'a da@example.com', `${'a'.repeat(100_000)}@example.com`, 42, null, undefined, {}, ['a@b.c']]
		for (const input of cases) {
			const result = emailSchema.safeParse(input)
			expect(result.success, JSON.stringify(input)?.slice(0, 40)).toBe(false)
			expect(result.error?.issues[0]?.message).toMatch(/email/i)
		}
	})
})
