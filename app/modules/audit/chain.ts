import { createHash } from 'node:crypto'

/**
 * The audit hash chain. Each event's hash covers the previous event's hash and every field of
 * the event in a canonical form (keys sorted at every depth), so reordering, editing or deleting
 * any event breaks the chain from that point on. jsonb does not keep key order, hence sorting.
 */
export const GENESIS_HASH = '0'.repeat(64)

export type ChainedFields = {
	organizationId: string
	seq: number
	type: string
	actorId: string | null
	targetType: string | null
	targetId: string | null
	ip: string | null
	userAgent: string | null
	data: unknown
	createdAt: Date
}

export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
	if (value instanceof Date) return JSON.stringify(value.toISOString())
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export function eventHash(prevHash: string, event: ChainedFields): string {
	return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(event)).digest('hex')
}

export type ChainCheck =
	| { ok: true; events: number }
	| { ok: false; events: number; brokenAt: { seq: number; id: string }; reason: string }

/** Walks events in seq order and reports the first broken link. */
export function checkChain(events: Iterable<ChainedFields & { id: string; prevHash: string; hash: string }>, start = { prevHash: GENESIS_HASH, seq: 0, count: 0 }): ChainCheck {
	let { prevHash, seq, count } = start
	for (const event of events) {
		const fail = (reason: string): ChainCheck => ({ ok: false, events: count, brokenAt: { seq: event.seq, id: event.id }, reason })
		if (event.seq !== seq + 1) return fail(`expected event #${seq + 1}, found #${event.seq} (an event is missing or reordered)`)
		if (event.prevHash !== prevHash) return fail('prevHash does not match the previous event')
		const { id: _id, prevHash: _prev, hash, ...fields } = event
		if (eventHash(prevHash, fields) !== hash) return fail('event content does not match its hash (edited)')
		prevHash = hash
		seq = event.seq
		count++
	}
	return { ok: true, events: count }
}
