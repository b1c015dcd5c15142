import { describe, expect, it } from 'vitest'
import { DEFAULT_FORM_TEMPLATE, DEFAULT_JSON_TEMPLATE, defaultBodyTemplate, isJsonContentType, renderSmsTemplate, smsCodeText, templateProblem } from './template'

const values = { to: '+14155550123', body: '123456 is your Acme code.', code: '123456' }

describe('renderSmsTemplate', () => {
	it('fills {{to}}, {{body}}, {{message}} and {{code}}, with or without inner spaces', () => {
		expect(renderSmsTemplate('{{to}}|{{ body }}|{{message}}|{{code}}', values, 'text/plain')).toBe('+14155550123|123456 is your Acme code.|123456 is your Acme code.|123456')
	})

	it('keeps JSON values inside their strings, whatever they contain', () => {
		const hostile = { ...values, body: 'x", "admin": true, "y": "\\\n\u2028</script>' }
		const rendered = renderSmsTemplate(DEFAULT_JSON_TEMPLATE, hostile, 'application/json; charset=utf-8')
		const parsed = JSON.parse(rendered) as Record<string, unknown>
		expect(Object.keys(parsed)).toEqual(['to', 'body'])
		expect(parsed['body']).toBe(hostile.body)
		expect(parsed['admin']).toBeUndefined()
		expect(rendered).not.toContain('\n')
	})

	it('escapes for JSON media types with a +json suffix too', () => {
		expect(isJsonContentType('application/vnd.gateway+json')).toBe(true)
		expect(renderSmsTemplate('{"t":"{{body}}"}', { ...values, body: '"' }, 'application/vnd.gateway+json')).toBe('{"t":"\\""}')
	})

	it('URL-encodes values in a form body, so & and = cannot add fields', () => {
		const rendered = renderSmsTemplate(DEFAULT_FORM_TEMPLATE, { ...values, body: 'a&admin=1 b+c' }, 'application/x-www-form-urlencoded')
		const form = new URLSearchParams(rendered)
		expect(form.get('to')).toBe('+14155550123')
		expect(form.get('body')).toBe('a&admin=1 b+c')
		expect(form.has('admin')).toBe(false)
	})

	it('leaves unknown placeholders alone', () => {
		expect(renderSmsTemplate('{{from}} {{code}}', values, 'text/plain')).toBe('{{from}} 123456')
	})
})

describe('templateProblem and defaults', () => {
	it('accepts the defaults and refuses templates that are not JSON once filled or lack the text', () => {
		expect(templateProblem(DEFAULT_JSON_TEMPLATE, 'application/json')).toBeNull()
		expect(templateProblem(DEFAULT_FORM_TEMPLATE, 'application/x-www-form-urlencoded')).toBeNull()
		expect(templateProblem('{"to": {{to}}, "body": "{{body}}"}', 'application/json')).toMatch(/not valid JSON/)
		expect(templateProblem('{"to":"{{to}}"}', 'application/json')).toMatch(/no \{\{body\}\}/)
		expect(templateProblem('', 'text/plain')).toMatch(/empty/)
		expect(defaultBodyTemplate('application/x-www-form-urlencoded')).toBe(DEFAULT_FORM_TEMPLATE)
		expect(defaultBodyTemplate('application/json')).toBe(DEFAULT_JSON_TEMPLATE)
	})
})

describe('smsCodeText', () => {
	it('ends with the WebOTP line bound to the org host', () => {
		const text = smsCodeText('654321', 'Acme', 'acme.localhost')
		expect(text.startsWith("654321 is your Acme code. Don't share it.")).toBe(true)
		expect(text.split('\n').at(-1)).toBe('@acme.localhost #654321')
	})
})
