import { describe, expect, it } from 'vitest'
import { allowedSendersHint, effectiveSenderAddress, newSenderAddressProblem, normalizeSenderDomain, parseSenderDomains, senderAddressProblem } from './sender'

const rules = { senderDomains: ['acme.example', 'mail.acme.example'], platformSender: 'no-reply@platform.example' }

describe('sender domains', () => {
	it('normalizes domain names and refuses anything else', () => {
		expect(normalizeSenderDomain(' Acme.Example. ')).toBe('acme.example')
		expect(normalizeSenderDomain('xn--bcher-kva.example')).toBe('xn--bcher-kva.example')
		for (const bad of ['acme', '*.acme.example', 'acme.example/x', 'acme.example:25', '10.0.0.1', '-acme.example', 'a..example', '', `${'a'.repeat(64)}.example`, 'ceo@acme.example']) expect(normalizeSenderDomain(bad), bad).toBeNull()
	})

	it('reads a typed list into a sorted set, with a message per bad word', () => {
		expect(parseSenderDomains('mail.acme.example,\n Acme.example  acme.example.')).toEqual({ ok: true, domains: ['acme.example', 'mail.acme.example'] })
		expect(parseSenderDomains(' ')).toEqual({ ok: true, domains: [] })
		expect(parseSenderDomains(['b.example', 'a.example'])).toEqual({ ok: true, domains: ['a.example', 'b.example'] })
		expect(parseSenderDomains('acme.example bank')).toEqual({ ok: false, errors: ['“bank” is not a domain name (like mail.example.com)'] })
		expect(parseSenderDomains(Array.from({ length: 21 }, (_, i) => `d${i}.example`))).toEqual({ ok: false, errors: ['At most 20 sender domains'] })
	})
})

describe('sender addresses', () => {
	it('allows addresses on exactly an allowed domain, and the platform sender', () => {
		expect(senderAddressProblem('support@acme.example', rules)).toBeNull()
		expect(senderAddressProblem('news@mail.acme.example', rules)).toBeNull()
		expect(senderAddressProblem('no-reply@platform.example', rules)).toBeNull()
		expect(senderAddressProblem('ceo@bank.example', rules)).toContain('bank.example is not a sender domain allowed for this organization (allowed: acme.example, mail.acme.example)')
		expect(senderAddressProblem('x@eu.mail.acme.example', rules)).not.toBeNull()
		expect(senderAddressProblem('x@acme.example.evil.example', rules)).not.toBeNull()
		expect(senderAddressProblem('other@platform.example', rules), 'only the platform sender itself, not its domain').not.toBeNull()
		expect(senderAddressProblem('a@acme.example', { ...rules, senderDomains: [] })).toContain('none is allowed yet')
	})

	it('judges an address when it is set, not one left as it was', () => {
		expect(newSenderAddressProblem('old@gone.example', 'old@gone.example', rules)).toBeNull()
		expect(newSenderAddressProblem(undefined, undefined, rules)).toBeNull()
		expect(newSenderAddressProblem('old@gone.example', 'new@gone.example', rules)).not.toBeNull()
	})

	it('sends from the platform sender whenever the own address is unset or not allowed', () => {
		expect(effectiveSenderAddress('support@acme.example', rules)).toBe('support@acme.example')
		expect(effectiveSenderAddress('ceo@bank.example', rules)).toBe('no-reply@platform.example')
		expect(effectiveSenderAddress(undefined, rules)).toBe('no-reply@platform.example')
		expect(effectiveSenderAddress('support@acme.example', { ...rules, senderDomains: [] })).toBe('no-reply@platform.example')
	})

	it('tells the org which addresses it may use', () => {
		expect(allowedSendersHint('Acme', rules)).toContain('addresses at acme.example, mail.acme.example')
		expect(allowedSendersHint('Acme', { ...rules, senderDomains: [] })).toContain("No sender domains are allowed for Acme yet: only the platform's sender, no-reply@platform.example")
	})
})
