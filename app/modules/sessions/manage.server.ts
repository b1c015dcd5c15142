import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { describeDevice } from './devices'

export type DeviceSession = { id: string; device: string; ip: string | null; createdAt: string; lastSeenAt: string; current: boolean }

/** A user's live sessions in this org, newest activity first, the one of this request marked. */
export async function listUserSessions(context: Pick<RequestContext, 'org'>, userId: string, currentSessionId: string): Promise<DeviceSession[]> {
	const now = Date.now()
	const idleSince = new Date(now - context.org.settings.sessionIdleMinutes * 60_000)
	const sessions = await db().session.findMany({
		where: { organizationId: context.org.id, userId, revokedAt: null, expiresAt: { gt: new Date(now) }, lastSeenAt: { gt: idleSince } },
		orderBy: { lastSeenAt: 'desc' },
		take: 200,
	})
	return sessions.map((session) => ({
		id: session.id,
		device: describeDevice(session.userAgent),
		ip: session.ip,
		createdAt: session.createdAt.toISOString(),
		lastSeenAt: session.lastSeenAt.toISOString(),
		current: session.id === currentSessionId,
	}))
}

/**
 * Ends one of the user's own sessions (`only`) or all but the current one. Scoped to the user and
 * the org, so an id from anyone else ends nothing. Returns how many ended.
 */
export async function revokeOwnSessions(
	context: Pick<RequestContext, 'org' | 'ip' | 'userAgent'>,
	input: { userId: string; currentSessionId: string } & ({ only: string } | { allButCurrent: true }),
): Promise<number> {
	return db().$transaction(async (tx) => {
		const where =
			'only' in input
				? { id: input.only, userId: input.userId, organizationId: context.org.id, revokedAt: null }
				: { userId: input.userId, organizationId: context.org.id, revokedAt: null, id: { not: input.currentSessionId } }
		const { count } = await tx.session.updateMany({ where, data: { revokedAt: new Date() } })
		if (count > 0) {
			await recordAuditEvent(tx, {
				organizationId: context.org.id,
				type: 'user.sessions_revoked',
				actorId: input.userId,
				targetType: 'user',
				targetId: input.userId,
				ip: context.ip,
				userAgent: context.userAgent,
				data: 'only' in input ? { sessionId: input.only, count } : { allButCurrent: true, count },
			})
		}
		return count
	})
}
