import { describe, expect, it } from 'vitest'
import { isPrivateAddress, outboundUrlProblem, PrivateTargetError, publicOnlyLookup } from './target.server'

describe('isPrivateAddress', () => {
	it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip'])(
		'refuses %s',
		(address) => expect(isPrivateAddress(address)).toBe(true),
	)
	it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false))
})

describe('outboundUrlProblem', () => {
	it('refuses private literals and localhost unless allowed, and non-http schemes always', () => {
		expect(outboundUrlProblem('https://sms.example.com/send', false)).toBeNull()
		expect(outboundUrlProblem('http://127.0.0.1:8080/', false)).toMatch(/private or loopback/)
		expect(outboundUrlProblem('http://[::1]/', false)).toMatch(/private or loopback/)
		expect(outboundUrlProblem('http://localhost:9/', false)).toMatch(/localhost/)
		expect(outboundUrlProblem('http://127.0.0.1:8080/', true)).toBeNull()
		expect(outboundUrlProblem('file:///etc/passwd', true)).toMatch(/https:\/\//)
		expect(outboundUrlProblem('https://user:pw@sms.example.com/', false)).toMatch(/credentials/)
		expect(outboundUrlProblem('not a url', false)).toMatch(/not a valid URL/)
	})
})

describe('publicOnlyLookup', () => {
	it('refuses a hostname that resolves only to loopback, whichever form of answer the socket asks for', async () => {
		for (const all of [true, false]) {
			const error = await new Promise<unknown>((resolve) => publicOnlyLookup('localhost', { all }, (err) => resolve(err)))
			expect(error).toBeInstanceOf(PrivateTargetError)
		}
	})
})
