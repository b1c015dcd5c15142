import { describe, expect, it } from 'vitest'
import { formatPhoneNumber, isE164, parsePhoneNumber, PHONE_INPUT_MAX } from './phone'

describe('parsePhoneNumber', () => {
	it.each([
		['+14155550123', '+14155550123'],
		['+1 415 555 0123', '+14155550123'],
		['+1 (415) 555-0123', '+14155550123'],
		['  +44 20 7946 0958 ', '+442079460958'],
		['+33 6 12 34 56 78', '+33612345678'],
		['+49 151 23456789', '+4915123456789'],
	])('accepts %j as %s', (input, e164) => {
		expect(parsePhoneNumber(input)).toEqual({ ok: true, e164 })
	})

	it('refuses a national number without +, asking for the country code', () => {
		const result = parsePhoneNumber('4155550123')
		expect(result.ok).toBe(false)
		if (!result.ok) expect(result.message).toMatch(/\+ and the country code/)
		expect(parsePhoneNumber('020 7946 0958').ok).toBe(false)
	})

	it.each([['+1234'], ['+999 123'], ['+1 415 555 01234567'], ['+1 415 555 0123 ext 5'], ['+1 415 abc 0123'], ['+'], ['++14155550123'], ['+1\n4155550123x']])('refuses %j', (input) => {
		expect(parsePhoneNumber(input).ok).toBe(false)
	})

	it('refuses input over the length limit before parsing it', () => {
		const long = `+1 ${'4'.repeat(PHONE_INPUT_MAX)}`
		expect(parsePhoneNumber(long)).toEqual({ ok: false, message: 'That phone number is too long.' })
		expect(parsePhoneNumber('+1 415 555 0123' + ' '.repeat(40)).ok).toBe(true)
	})

	it.each([[undefined], [null], [42], [''], ['   '], [['+14155550123']]])('refuses a non-string or empty value %j', (input) => {
		expect(parsePhoneNumber(input)).toEqual({ ok: false, message: 'Enter a phone number.' })
	})
})

describe('isE164 and formatPhoneNumber', () => {
	it('recognises stored numbers and groups them for display', () => {
		expect(isE164('+14155550123')).toBe(true)
		expect(isE164('+0123')).toBe(false)
		expect(isE164('+1234567890123456')).toBe(false)
		expect(isE164('14155550123')).toBe(false)
		expect(formatPhoneNumber('+14155550123')).toBe('+1 415 555 0123')
	})
})
