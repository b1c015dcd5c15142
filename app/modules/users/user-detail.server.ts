import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { loadUserFactors } from '../mfa/factors.server'
import { listUserSessions } from '../sessions/manage.server'

/** User ids are cuids; anything else (NUL bytes, 10 KB of text) is no user of ours. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/

export const RECENT_EVENTS = 50

/** The org's user with this id, or null: an id of another org reads exactly like one that does not exist. */
export async function findOrgUser(organizationId: string, userId: string | undefined) {
	if (!userId || !USER_ID.test(userId)) return null
	return db().user.findFirst({
		where: { id: userId, organizationId },
		select: { id: true, email: true, name: true, role: true, emailVerified: true, disabledAt: true, createdAt: true, password: { select: { updatedAt: true } } },
	})
}

export type UserAuditEvent = { id: string; seq: number; type: string; actorId: string | null; targetId: string | null; ip: string | null; createdAt: string }

/**
 * The newest events naming the user as actor or target. Two index range scans
 * (organizationId, actorId|targetId, seq) merged here, rather than an OR the planner may not serve
 * from an index.
 */
export async function recentUserEvents(organizationId: string, userId: string): Promise<UserAuditEvent[]> {
	const select = { id: true, seq: true, type: true, actorId: true, targetId: true, ip: true, createdAt: true } as const
	const [asActor, asTarget] = await Promise.all([
		db().auditEvent.findMany({ where: { organizationId, actorId: userId }, orderBy: { seq: 'desc' }, take: RECENT_EVENTS, select }),
		db().auditEvent.findMany({ where: { organizationId, targetId: userId }, orderBy: { seq: 'desc' }, take: RECENT_EVENTS, select }),
	])
	const bySeq = new Map([...asActor, ...asTarget].map((event) => [event.seq, event]))
	return [...bySeq.values()]
		.sort((a, b) => b.seq - a.seq)
		.slice(0, RECENT_EVENTS)
		.map((event) => ({ ...event, createdAt: event.createdAt.toISOString() }))
}

/** Everything /admin/users/:id shows, for a user already known to be in the org. */
export async function loadUserDetail(context: Pick<RequestContext, 'org'>, user: { id: string }, currentSessionId: string) {
	const [sessions, factors, events] = await Promise.all([
		listUserSessions(context, user.id, currentSessionId),
		loadUserFactors(user.id),
		recentUserEvents(context.org.id, user.id),
	])
	return { sessions, factors, events }
}
