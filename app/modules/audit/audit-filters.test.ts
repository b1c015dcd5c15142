import { describe, expect, it } from 'vitest'
import { dayBounds, filterSearchParams, parseAuditQuery } from './audit-filters'

const parse = (query: string) => parseAuditQuery(new URLSearchParams(query))

describe('parseAuditQuery', () => {
	it('reads no filters and no cursor from an empty query, and from an empty form', () => {
		expect(parse('')).toEqual({ ok: true, filters: {}, cursor: { before: undefined, after: undefined } })
		expect(parse('actor=&type=&target=+&from=&to=')).toEqual({ ok: true, filters: {}, cursor: { before: undefined, after: undefined } })
	})

	it('tells an email actor from a user id, normalizing the email', () => {
		expect(parse('actor=%20Ada@Acme.Example%20')).toMatchObject({ ok: true, filters: { actor: { email: 'ada@acme.example' } } })
		expect(parse('actor=cmabc123_-X')).toMatchObject({ ok: true, filters: { actor: { id: 'cmabc123_-X' } } })
	})

	it('reads an exact type and a prefix (with a trailing dot or .*)', () => {
		expect(parse('type=user.signed_in')).toMatchObject({ ok: true, filters: { type: { exact: 'user.signed_in' } } })
		expect(parse('type=user.')).toMatchObject({ ok: true, filters: { type: { prefix: 'user.' } } })
		expect(parse('type=user.*')).toMatchObject({ ok: true, filters: { type: { prefix: 'user.' } } })
	})

	it('reads target, dates and a cursor', () => {
		expect(parse('target=sess_1&from=2026-01-01&to=2026-01-31&before=120')).toEqual({
			ok: true,
			filters: { target: 'sess_1', from: '2026-01-01', to: '2026-01-31' },
			cursor: { before: 120, after: undefined },
		})
		expect(parse('after=7')).toMatchObject({ ok: true, cursor: { after: 7 } })
		expect(parse('from=2026-03-05&to=2026-03-05')).toMatchObject({ ok: true })
	})

	it.each([
		['actor=not an id', 'actor', 'email address or a user id'],
		['actor=%3Cscript%3E', 'actor', 'email address or a user id'],
		['type=User.Signed', 'type', 'event type'],
		['type=user..x', 'type', 'event type'],
		['type=%25', 'type', 'event type'],
		['target=has%20space', 'target', 'target id'],
		[`target=${'x'.repeat(201)}`, 'target', 'target id'],
		['from=yesterday', 'from', 'date like'],
		['from=2026-02-30', 'from', 'not a real date'],
		['to=2026-13-01', 'to', 'not a real date'],
		['from=2026-02-02&to=2026-02-01', 'to', 'on or after From'],
		['before=-1', 'before', 'event number'],
		['before=abc', 'before', 'event number'],
		['before=0', 'before', 'event number'],
		['before=99999999999', 'before', 'event number'],
		['after=2147483648', 'after', 'event number'],
		['before=5&after=2', 'before', 'not both'],
	])('refuses %s with a message on %s', (query, field, message) => {
		const result = parse(query)
		expect(result.ok).toBe(false)
		if (result.ok) return
		expect(result.errors[field as keyof typeof result.errors]?.join(' ')).toContain(message)
	})
})

describe('filterSearchParams and dayBounds', () => {
	it('round-trips filters through the URL, leaving out empty ones', () => {
		const parsed = parse('actor=ada@acme.example&type=user.&target=t1&from=2026-01-01&to=2026-01-02')
		if (!parsed.ok) throw new Error('expected ok')
		const params = filterSearchParams(parsed.filters, { before: 9 })
		expect(params.toString()).toBe('actor=ada%40acme.example&type=user.&target=t1&from=2026-01-01&to=2026-01-02&before=9')
		expect(parseAuditQuery(params)).toEqual({ ...parsed, cursor: { before: 9, after: undefined } })
		expect(filterSearchParams({}).toString()).toBe('')
	})

	it('makes `to` include its whole UTC day', () => {
		expect(dayBounds({ from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: new Date('2026-01-01T00:00:00.000Z'), until: new Date('2026-02-01T00:00:00.000Z') })
		expect(dayBounds({})).toEqual({ from: undefined, until: undefined })
	})
})
