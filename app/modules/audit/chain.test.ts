import { describe, expect, it } from 'vitest'
import { canonicalJson, checkChain, eventHash, GENESIS_HASH, type ChainedFields } from './chain'

type StoredEvent = ChainedFields & { id: string; prevHash: string; hash: string }

function fields(seq: number, overrides: Partial<ChainedFields> = {}): ChainedFields {
	return {
		organizationId: 'org_1',
		seq,
		type: seq % 2 ? 'user.signed_in' : 'user.password_changed',
		actorId: `user_${seq}`,
		targetType: 'user',
		targetId: `user_${seq}`,
		ip: '203.0.113.7',
		userAgent: 'Mozilla/5.0',
		data: { method: 'password', nested: { attempt: seq, tags: ['a', 'b'] } },
		createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)),
		...overrides,
	}
}

/** Builds a valid chain the way the audit writer does: each hash covers the previous one. */
function buildChain(count: number, start = { prevHash: GENESIS_HASH, seq: 0 }): StoredEvent[] {
	const events: StoredEvent[] = []
	let prevHash = start.prevHash
	for (let i = 1; i <= count; i++) {
		const seq = start.seq + i
		const event = fields(seq)
		const hash = eventHash(prevHash, event)
		events.push({ ...event, id: `evt_${seq}`, prevHash, hash })
		prevHash = hash
	}
	return events
}

describe('canonicalJson', () => {
	it('sorts keys at every depth', () => {
		expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}')
	})

	it('does not depend on key insertion order', () => {
		const one = { type: 't', data: { x: 1, y: { q: 'q', p: 'p' } }, seq: 1 }
		const two = { seq: 1, data: { y: { p: 'p', q: 'q' }, x: 1 }, type: 't' }
		expect(canonicalJson(one)).toBe(canonicalJson(two))
	})

	it('keeps array order, writes dates as ISO strings and drops undefined keys', () => {
		expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]')
		expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]))
		expect(canonicalJson({ at: new Date('2025-01-01T00:00:00.000Z') })).toBe('{"at":"2025-01-01T00:00:00.000Z"}')
		expect(canonicalJson({ a: 1, gone: undefined })).toBe('{"a":1}')
		expect(canonicalJson(null)).toBe('null')
		expect(canonicalJson('x"y')).toBe('"x\\"y"')
	})

	it('round-trips through JSON.parse to the same value', () => {
		const value = { b: [1, { d: 'é', c: true }], a: -0.5 }
		expect(JSON.parse(canonicalJson(value))).toEqual(value)
	})
})

describe('eventHash', () => {
	const base = fields(1)
	const baseHash = eventHash(GENESIS_HASH, base)

	it('is a sha256 hex digest, deterministic and independent of key order', () => {
		expect(baseHash).toMatch(/^[0-9a-f]{64}$/)
		expect(eventHash(GENESIS_HASH, fields(1))).toBe(baseHash)
		const reordered = Object.fromEntries(Object.entries(base).reverse()) as ChainedFields
		expect(eventHash(GENESIS_HASH, reordered)).toBe(baseHash)
	})

	it('changes with the previous hash', () => {
		expect(eventHash('f'.repeat(64), base)).not.toBe(baseHash)
	})

	const changes: [string, Partial<ChainedFields>][] = [
		['organizationId', { organizationId: 'org_2' }],
		['seq', { seq: 2 }],
		['type', { type: 'user.signed_out' }],
		['actorId', { actorId: null }],
		['targetType', { targetType: 'session' }],
		['targetId', { targetId: 'user_9' }],
		['ip', { ip: '203.0.113.8' }],
		['userAgent', { userAgent: null }],
		['data (top level)', { data: { method: 'passkey', nested: { attempt: 1, tags: ['a', 'b'] } } }],
		['data (nested value)', { data: { method: 'password', nested: { attempt: 2, tags: ['a', 'b'] } } }],
		['data (array order)', { data: { method: 'password', nested: { attempt: 1, tags: ['b', 'a'] } } }],
		['data (null)', { data: null }],
		['createdAt', { createdAt: new Date(base.createdAt.getTime() + 1) }],
	]
	it.each(changes)('changes when %s changes', (_name, override) => {
		expect(eventHash(GENESIS_HASH, { ...base, ...override })).not.toBe(baseHash)
	})
})

describe('checkChain', () => {
	it('accepts a good chain and counts its events', () => {
		expect(checkChain(buildChain(5))).toEqual({ ok: true, events: 5 })
	})

	it('accepts an empty chain', () => {
		expect(checkChain([])).toEqual({ ok: true, events: 0 })
	})

	it('reports an edited field at that event', () => {
		const events = buildChain(5)
		events[2] = { ...events[2]!, actorId: 'user_attacker' }
		expect(checkChain(events)).toEqual({
			ok: false,
			events: 2,
			brokenAt: { seq: 3, id: 'evt_3' },
			reason: 'event content does not match its hash (edited)',
		})
	})

	it('reports an edited createdAt', () => {
		const events = buildChain(3)
		events[1] = { ...events[1]!, createdAt: new Date(events[1]!.createdAt.getTime() + 1000) }
		const result = checkChain(events)
		expect(result).toMatchObject({ ok: false, brokenAt: { seq: 2, id: 'evt_2' } })
		expect(result.ok === false && result.reason).toMatch(/edited/)
	})

	it('reports an edited data value deep inside data', () => {
		const events = buildChain(4)
		events[3] = { ...events[3]!, data: { method: 'password', nested: { attempt: 4, tags: ['a', 'c'] } } }
		expect(checkChain(events)).toEqual({
			ok: false,
			events: 3,
			brokenAt: { seq: 4, id: 'evt_4' },
			reason: 'event content does not match its hash (edited)',
		})
	})

	it('reports an edit even when the edited event is re-hashed (the next link breaks)', () => {
		const events = buildChain(4)
		const edited = { ...events[1]!, ip: '198.51.100.1' }
		const { id: _id, prevHash: _prev, hash: _hash, ...rest } = edited
		edited.hash = eventHash(edited.prevHash, rest)
		events[1] = edited
		expect(checkChain(events)).toEqual({
			ok: false,
			events: 2,
			brokenAt: { seq: 3, id: 'evt_3' },
			reason: 'prevHash does not match the previous event',
		})
	})

	it('reports a deleted middle event at the event after the gap', () => {
		const events = buildChain(5)
		events.splice(2, 1)
		expect(checkChain(events)).toEqual({
			ok: false,
			events: 2,
			brokenAt: { seq: 4, id: 'evt_4' },
			reason: 'expected event #3, found #4 (an event is missing or reordered)',
		})
	})

	it('reports a deleted middle event even when later seqs are renumbered', () => {
		const events = buildChain(5)
		events.splice(2, 1)
		const renumbered = events.map((event, i) => ({ ...event, seq: i + 1 }))
		const result = checkChain(renumbered)
		expect(result.ok).toBe(false)
		expect(result.ok === false && result.brokenAt).toEqual({ seq: 3, id: 'evt_4' })
		expect(result.ok === false && result.reason).toBe('prevHash does not match the previous event')
	})

	it('reports swapped events at the first one out of place', () => {
		const events = buildChain(5)
		;[events[1], events[2]] = [events[2]!, events[1]!]
		expect(checkChain(events)).toEqual({
			ok: false,
			events: 1,
			brokenAt: { seq: 3, id: 'evt_3' },
			reason: 'expected event #2, found #3 (an event is missing or reordered)',
		})
	})

	it('reports swapped events whose seqs were swapped back', () => {
		const events = buildChain(4)
		const second = events[1]!
		const third = events[2]!
		events[1] = { ...third, seq: 2 }
		events[2] = { ...second, seq: 3 }
		expect(checkChain(events)).toMatchObject({ ok: false, events: 1, brokenAt: { seq: 2, id: 'evt_3' }, reason: 'prevHash does not match the previous event' })
	})

	it('reports a wrong prevHash', () => {
		const events = buildChain(3)
		events[1] = { ...events[1]!, prevHash: 'a'.repeat(64) }
		expect(checkChain(events)).toEqual({
			ok: false,
			events: 1,
			brokenAt: { seq: 2, id: 'evt_2' },
			reason: 'prevHash does not match the previous event',
		})
	})

	it('reports a first event that does not start from the genesis hash', () => {
		const events = buildChain(2, { prevHash: 'b'.repeat(64), seq: 0 })
		expect(checkChain(events)).toMatchObject({ ok: false, events: 0, brokenAt: { seq: 1, id: 'evt_1' }, reason: 'prevHash does not match the previous event' })
	})

	it('reports an edited hash', () => {
		const events = buildChain(2)
		events[1] = { ...events[1]!, hash: 'c'.repeat(64) }
		expect(checkChain(events)).toMatchObject({ ok: false, events: 1, brokenAt: { seq: 2, id: 'evt_2' }, reason: 'event content does not match its hash (edited)' })
	})

	describe('continued from a start state', () => {
		const all = buildChain(6)
		const head = all.slice(0, 3)
		const tail = all.slice(3)
		const start = { prevHash: head[2]!.hash, seq: 3, count: 3 }

		it('accepts the continuation and counts from the start', () => {
			expect(checkChain(tail, start)).toEqual({ ok: true, events: 6 })
		})

		it('refuses the continuation from the genesis state', () => {
			expect(checkChain(tail)).toMatchObject({ ok: false, events: 0, brokenAt: { seq: 4, id: 'evt_4' } })
		})

		it('refuses a start whose hash is not the last checked event', () => {
			expect(checkChain(tail, { ...start, prevHash: head[1]!.hash })).toEqual({
				ok: false,
				events: 3,
				brokenAt: { seq: 4, id: 'evt_4' },
				reason: 'prevHash does not match the previous event',
			})
		})

		it('refuses a start at the wrong seq', () => {
			expect(checkChain(tail, { ...start, seq: 2 })).toEqual({
				ok: false,
				events: 3,
				brokenAt: { seq: 4, id: 'evt_4' },
				reason: 'expected event #3, found #4 (an event is missing or reordered)',
			})
		})

		it('reports a break after the start with the total count so far', () => {
			const edited = [...tail]
			edited[1] = { ...edited[1]!, type: 'forged' }
			expect(checkChain(edited, start)).toEqual({
				ok: false,
				events: 4,
				brokenAt: { seq: 5, id: 'evt_5' },
				reason: 'event content does not match its hash (edited)',
			})
		})
	})
})
