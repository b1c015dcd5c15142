import { describe, expect, it } from 'vitest'
import { brandColorSchema, createOperatorOrgSchema, createOrgSchema, orgNameSchema, orgSlugSchema } from './schema'

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
	return result.error?.issues.map((issue) => issue.message) ?? []
}

describe('orgSlugSchema', () => {
	it('trims and lowercases', () => {
		expect(orgSlugSchema.parse('Acme')).toBe('acme')
		expect(orgSlugSchema.parse('  ACME-Corp-2 ')).toBe('acme-corp-2')
		expect(orgSlugSchema.parse('a1')).toBe('a1')
	})

	it('refuses reserved slugs, in any case', () => {
		for (const reserved of ['www', 'api', 'admin', 'operator', 'Operator', ' LOGIN ', 'localhost', 'oidc', 'status']) {
			const result = orgSlugSchema.safeParse(reserved)
			expect(result.success, reserved).toBe(false)
			expect(messages(result)).toContain('This slug is reserved')
		}
	})

	it('refuses too short and too long slugs', () => {
		expect(messages(orgSlugSchema.safeParse('a'))).toContain('Slug must be at least 2 characters')
		expect(messages(orgSlugSchema.safeParse('  a  '))).toContain('Slug must be at least 2 characters')
		expect(messages(orgSlugSchema.safeParse(''))).toContain('Slug must be at least 2 characters')
		expect(orgSlugSchema.parse('a'.repeat(40))).toBe('a'.repeat(40))
		expect(messages(orgSlugSchema.safeParse('a'.repeat(41)))).toContain('Slug must be at most 40 characters')
	})

	it('refuses leading, trailing and non-inner hyphens', () => {
		for (const bad of ['-acme', 'acme-', '-', '--']) {
			expect(orgSlugSchema.safeParse(bad).success, bad).toBe(false)
		}
		expect(orgSlugSchema.parse('ac--me')).toBe('ac--me')
	})

	it('refuses non-ASCII, punctuation, NUL and other characters a host name cannot hold', () => {
		for (const bad of ['café', 'acmé', 'аcme' /* Cyrillic а */, 'ac me', 'ac.me', 'ac_me', 'ac/me', 'acme\u0000', 'ac\u0000me', 'ac\nme', 'acme😀']) {
			const result = orgSlugSchema.safeParse(bad)
			expect(result.success, JSON.stringify(bad)).toBe(false)
		}
	})

	it('refuses a non-string', () => {
		expect(orgSlugSchema.safeParse(undefined).success).toBe(false)
		expect(orgSlugSchema.safeParse(42).success).toBe(false)
	})
})

describe('orgNameSchema', () => {
	it('trims', () => {
		expect(orgNameSchema.parse('  Acme Corp  ')).toBe('Acme Corp')
		expect(orgNameSchema.parse('Café Ünïcode 株式会社')).toBe('Café Ünïcode 株式会社')
	})

	it('refuses an empty or blank name', () => {
		expect(messages(orgNameSchema.safeParse(''))).toContain('Name is required')
		expect(messages(orgNameSchema.safeParse('   '))).toContain('Name is required')
	})

	it('allows 100 characters and refuses more', () => {
		expect(orgNameSchema.parse('x'.repeat(100))).toBe('x'.repeat(100))
		expect(orgNameSchema.parse(` ${'x'.repeat(100)} `)).toBe('x'.repeat(100))
		expect(messages(orgNameSchema.safeParse('x'.repeat(101)))).toContain('Name must be at most 100 characters')
		expect(orgNameSchema.safeParse('x'.repeat(10_000)).success).toBe(false)
	})

	it('refuses control characters inside the name', () => {
		for (const bad of ['Ac\u0000me', 'Ac\nme', 'Ac\tme', 'Ac\u001bme', 'Ac\u007fme', 'Ac\u0085me', 'Ac\u009fme']) {
			const result = orgNameSchema.safeParse(bad)
			expect(result.success, JSON.stringify(bad)).toBe(false)
			expect(messages(result)).toContain('Name cannot contain control characters')
		}
	})
})

describe('brandColorSchema', () => {
	it('expands and lowercases hex colours', () => {
		expect(brandColorSchema.parse('#abc')).toBe('#aabbcc')
		expect(brandColorSchema.parse('#ABC')).toBe('#aabbcc')
		expect(brandColorSchema.parse('#4F46E5')).toBe('#4f46e5')
		expect(brandColorSchema.parse(' #4f46e5 ')).toBe('#4f46e5')
	})

	it('refuses garbage with a message', () => {
		for (const bad of ['', 'red', 'abc', '#ab', '#abcd', '#abcdefg', '#ggg', 'rgb(0,0,0)', '#fff;}body{', 'x'.repeat(100_000)]) {
			const result = brandColorSchema.safeParse(bad)
			expect(result.success, bad.slice(0, 20)).toBe(false)
			expect(messages(result)).toEqual(['Brand colour must be a hex colour like #4f46e5'])
		}
	})
})

describe('createOrgSchema', () => {
	it('parses a form with defaults', () => {
		expect(createOrgSchema.parse({ name: ' Acme ', slug: 'ACME' })).toEqual({ name: 'Acme', slug: 'acme', brandColor: '#4f46e5', themeId: 'default' })
		expect(createOrgSchema.parse({ name: 'Acme', slug: 'acme', brandColor: '#f00', themeId: 'dark-2' })).toEqual({ name: 'Acme', slug: 'acme', brandColor: '#ff0000', themeId: 'dark-2' })
	})

	it('refuses the operator slug and a bad theme id', () => {
		expect(createOrgSchema.safeParse({ name: 'Ops', slug: 'operator' }).success).toBe(false)
		expect(createOrgSchema.safeParse({ name: 'Acme', slug: 'acme', themeId: '../etc' }).success).toBe(false)
	})
})

describe('createOperatorOrgSchema', () => {
	it('allows the reserved operator slug', () => {
		expect(createOperatorOrgSchema.parse({ name: 'Operator', slug: 'operator' })).toMatchObject({ name: 'Operator', slug: 'operator' })
	})

	it('still applies the slug shape rules', () => {
		expect(createOperatorOrgSchema.safeParse({ name: 'Operator', slug: '-operator' }).success).toBe(false)
		expect(createOperatorOrgSchema.safeParse({ name: 'Operator', slug: 'o' }).success).toBe(false)
		expect(createOperatorOrgSchema.parse({ name: 'Operator', slug: 'OPERATOR' }).slug).toBe('operator')
	})
})
