import { describe, expect, it } from 'vitest'
import { httpLogSerializers, redactUrl } from './log-redaction.server'

describe('redactUrl', () => {
	it('drops the whole query of an email link', () => {
		expect(redactUrl('/verify?token=abc123&x=1')).toBe('/verify?[redacted]')
		expect(redactUrl('/invitations/accept?token=abc123')).toBe('/invitations/accept?[redacted]')
		expect(redactUrl('/Verify/?token=abc123')).toBe('/Verify/?[redacted]')
		expect(redactUrl('http://acme.localhost:3000/verify?token=abc123')).toBe('http://acme.localhost:3000/verify?[redacted]')
	})

	it('redacts token, code and state anywhere, keeping the other parameters', () => {
		expect(redactUrl('/oidc/auth?client_id=app&state=s3cret&code_challenge=cc&nonce=n1')).toBe('/oidc/auth?client_id=app&state=[redacted]&code_challenge=cc&nonce=[redacted]')
		expect(redactUrl('https://app.example/callback?code=c0de&state=s3cret&iss=http%3A%2F%2Facme')).toBe('https://app.example/callback?code=[redacted]&state=[redacted]&iss=http%3A%2F%2Facme')
		expect(redactUrl('/anything?TOKEN=abc')).toBe('/anything?TOKEN=[redacted]')
	})

	it('opens parameters that hold a URL of their own, however deep', () => {
		const nested = `/login?redirectTo=${encodeURIComponent('/invitations/accept?token=abc123')}`
		expect(redactUrl(nested)).toBe(`/login?redirectTo=${encodeURIComponent('/invitations/accept?[redacted]')}`)
		const twice = `/login/mfa?redirectTo=${encodeURIComponent(`/login?redirectTo=${encodeURIComponent('/oidc/auth?state=s3cret&client_id=a')}`)}`
		expect(redactUrl(twice)).not.toContain('s3cret')
		expect(redactUrl(twice)).toContain('client_id')
		expect(redactUrl('/x?next=token%3Dabc')).toBe(`/x?next=${encodeURIComponent('token=[redacted]')}`)
	})

	it('leaves URLs without secrets as they are, and survives malformed escapes', () => {
		expect(redactUrl('/account/security?setup=required&redirectTo=%2Faccount')).toBe('/account/security?setup=required&redirectTo=%2Faccount')
		expect(redactUrl('/login')).toBe('/login')
		expect(redactUrl('/x?bad=%E0%A4%A&token=abc')).toBe('/x?bad=%E0%A4%A&token=[redacted]')
		expect(redactUrl(undefined)).toBeUndefined()
	})
})

describe('httpLogSerializers', () => {
	it('redacts the request URL and Referer, drops the parsed query, and redacts a Location', () => {
		const headers = { referer: 'http://acme.localhost/verify?token=abc123', host: 'acme.localhost' }
		const req = httpLogSerializers.req({ id: '1', method: 'GET', url: '/verify?token=abc123', headers })
		expect(JSON.stringify(req)).not.toContain('abc123')
		expect(req).not.toHaveProperty('query')
		expect(headers.referer).toContain('abc123') // the request itself is untouched
		const res = httpLogSerializers.res({ statusCode: 302, headers: { location: 'https://app.example/cb?code=c0de&state=s' } })
		expect(res.headers?.location).toBe('https://app.example/cb?code=[redacted]&state=[redacted]')
	})
})
