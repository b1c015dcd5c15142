import { describe, expect, it } from 'vitest'
import { defaultHost, normalizeHost, originFor, slugFromHost } from './hosts'

describe('normalizeHost', () => {
	it('lowercases and ignores the port', () => {
		expect(normalizeHost('Acme.LocalHost:3000')).toBe('acme.localhost')
		expect(normalizeHost('acme.localhost')).toBe('acme.localhost')
		expect(normalizeHost('login.acme.com.')).toBe('login.acme.com')
	})

	it('refuses what is not a DNS name', () => {
		for (const bad of [undefined, null, '', ':3000', '[::1]:3000', 'acme.localhost:abc', 'ac me.localhost', 'acme..localhost', 'a\u0000b', '-acme.localhost', 'acme.localhost:3000:1', 'x'.repeat(300), 'é.localhost']) {
			expect(normalizeHost(bad), String(bad)).toBeNull()
		}
	})
})

describe('slugFromHost', () => {
	it('reads the org slug under the base domain only', () => {
		expect(slugFromHost('acme.localhost', 'localhost')).toBe('acme')
		expect(slugFromHost('acme.login.example.com', 'login.example.com')).toBe('acme')
		expect(slugFromHost('localhost', 'localhost')).toBeNull()
		expect(slugFromHost('a.b.localhost', 'localhost')).toBeNull()
		expect(slugFromHost('acme.example.com', 'localhost')).toBeNull()
		expect(slugFromHost('evillocalhost', 'localhost')).toBeNull()
	})
})

describe('originFor', () => {
	it('omits the default port of the scheme', () => {
		expect(originFor(defaultHost('acme', 'localhost'), { scheme: 'http', port: 3000 })).toBe('http://acme.localhost:3000')
		expect(originFor('login.acme.com', { scheme: 'https', port: 443 })).toBe('https://login.acme.com')
		expect(originFor('acme.localhost', { scheme: 'http', port: 80 })).toBe('http://acme.localhost')
	})
})
