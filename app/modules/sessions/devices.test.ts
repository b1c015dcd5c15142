import { describe, expect, it } from 'vitest'
import { describeDevice } from './devices'

describe('describeDevice', () => {
	it('names the browser, its major version and the OS', () => {
		expect(describeDevice('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBe('Chrome 131 on Linux')
		expect(describeDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15')).toBe('Safari 17 on macOS')
		expect(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari 17 on iOS')
		expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133 on Windows')
	})

	it('says so when it cannot tell', () => {
		expect(describeDevice(null)).toBe('Unknown device')
		expect(describeDevice('')).toBe('Unknown device')
		expect(describeDevice('curl/8.5.0')).not.toBe('')
	})
})
