import { describe, expect, it } from 'vitest'
import { safeRedirectPath } from './session.server'

describe('safeRedirectPath', () => {
	it('allows same-site relative paths', () => {
		for (const path of ['/account', '/a?b=c', '/', '/login?redirectTo=%2Faccount#top', '/a/b/../c', '/é']) {
			expect(safeRedirectPath(path), path).toBe(path)
		}
	})

	it('refuses other origins and schemes', () => {
		for (const bad of ['//evil.com', '//evil.com/account', '/\\evil.com', '/\\/evil.com', 'https://evil.com', 'http:/evil.com', 'javascript:alert(1)', 'data:text/html,x', 'evil.com', 'account', ' /account', '\\\\evil.com']) {
			expect(safeRedirectPath(bad), bad).toBe('/account')
		}
	})

	it('refuses empty and missing values', () => {
		expect(safeRedirectPath('')).toBe('/account')
		expect(safeRedirectPath(null)).toBe('/account')
		expect(safeRedirectPath(undefined)).toBe('/account')
	})

	it('refuses a File from form data', () => {
		expect(safeRedirectPath(new File(['/account'], '/account'))).toBe('/account')
	})

	it('refuses control characters, which browsers strip to make //evil.com', () => {
		for (const bad of ['/\t/evil.com', '/\n/evil.com', '/\r\n/evil.com', '/account\u0000', '/a\u001fb']) {
			expect(safeRedirectPath(bad), JSON.stringify(bad)).toBe('/account')
		}
	})

	it('refuses paths over 2048 characters', () => {
		const max = `/${'a'.repeat(2047)}`
		expect(safeRedirectPath(max)).toBe(max)
		expect(safeRedirectPath(`${max}a`)).toBe('/account')
	})

	it('returns the given fallback', () => {
		expect(safeRedirectPath('//evil.com', '/')).toBe('/')
		expect(safeRedirectPath(null, '/admin')).toBe('/admin')
		expect(safeRedirectPath('/ok', '/admin')).toBe('/ok')
	})
})
