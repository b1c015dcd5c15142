import { type Prisma } from '../../generated/prisma/client'
import { db, type Tx } from '../../utils/db.server'
import { checkChain, eventHash, GENESIS_HASH, type ChainCheck } from './chain'

/** Who and where, as known to the flow that writes the event. */
export type AuditContext = {
	actorId?: string | null
	ip?: string | null
	userAgent?: string | null
}

export type AuditEventInput = AuditContext & {
	organizationId: string
	/** `noun.verb`, e.g. `user.signed_in`, `user.sign_in_failed`, `org.created`. */
	type: string
	targetType?: string | null
	targetId?: string | null
	data?: Record<string, unknown>
}


/**
 * The one audit writer. It takes a transaction client on purpose: an event is written in the
 * same transaction as the change it records, or not at all. A per-org advisory lock serialises
 * writers of one org so every event links to exactly one predecessor; orgs don't contend.
 */
export async function recordAuditEvent(tx: Tx, input: AuditEventInput) {
	await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${input.organizationId}`}, 0))`
	const last = await tx.auditEvent.findFirst({
		where: { organizationId: input.organizationId },
		orderBy: { seq: 'desc' },
		select: { seq: true, hash: true },
	})
	const fields = {
		organizationId: input.organizationId,
		seq: (last?.seq ?? 0) + 1,
		type: input.type,
		actorId: input.actorId ?? null,
		targetType: input.targetType ?? null,
		targetId: input.targetId ?? null,
		ip: input.ip ?? null,
		userAgent: input.userAgent?.slice(0, 512) ?? null,
		data: JSON.parse(JSON.stringify(input.data ?? {})) as Prisma.InputJsonObject,
		// Millisecond precision survives the round trip through timestamp(3).
		createdAt: new Date(),
	}
	const prevHash = last?.hash ?? GENESIS_HASH
	return tx.auditEvent.create({ data: { ...fields, prevHash, hash: eventHash(prevHash, fields) } })
}

/** Writes a standalone event (one that records no other change, like a failed sign-in). */
export function recordAuditEventNow(input: AuditEventInput) {
	return db().$transaction((tx) => recordAuditEvent(tx, input))
}

/** Verifies an org's whole chain in pages, so millions of events don't sit in memory at once. */
export async function verifyAuditChain(organizationId: string, pageSize = 5000): Promise<ChainCheck> {
	let state = { prevHash: GENESIS_HASH, seq: 0, count: 0 }
	for (;;) {
		const page = await db().auditEvent.findMany({
			where: { organizationId, seq: { gt: state.seq } },
			orderBy: { seq: 'asc' },
			take: pageSize,
		})
		const result = checkChain(page, state)
		if (!result.ok || page.length < pageSize) return page.length === 0 ? { ok: true, events: state.count } : result
		const last = page[page.length - 1]!
		state = { prevHash: last.hash, seq: last.seq, count: result.events }
	}
}
