import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { describeDevice } from './devices'
import { endUserSignIns } from './end-sign-ins.server'

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
 * Ends one of the user's own sessions (`only`) or all but the current one, and then their apps'
 * grants too ("sign out everywhere else" must reach the apps). Scoped to the user and the org, so
 * an id from anyone else ends nothing. Returns how many sessions ended.
 */
export async function revokeOwnSessions(
	context: Pick<RequestContext, 'org' | 'ip' | 'userAgent'>,
	input: { userId: string; currentSessionId: string } & ({ only: string } | { allButCurrent: true }),
): Promise<number> {
	const organizationId = context.org.id
	return db().$transaction(async (tx) => {
		const { sessionsRevoked: count, grantsRevoked } =
			'only' in input
				? await revokeOneSession(tx, organizationId, input.userId, input.only)
				: await endUserSignIns(tx, { organizationId, userId: input.userId, keepSessionId: input.currentSessionId })
		if (count > 0 || grantsRevoked > 0) {
			await recordAuditEvent(tx, {
				organizationId,
				type: 'user.sessions_revoked',
				actorId: input.userId,
				targetType: 'user',
				targetId: input.userId,
				ip: context.ip,
				userAgent: context.userAgent,
				data: 'only' in input ? { sessionId: input.only, count } : { allButCurrent: true, count, grantsRevoked },
			})
		}
		return count
	})
}

/** One device signed out: the apps' grants are not tied to a session, so they stay. */
async function revokeOneSession(tx: Tx, organizationId: string, userId: string, sessionId: string) {
	const { count } = await tx.session.updateMany({ where: { id: sessionId, userId, organizationId, revokedAt: null }, data: { revokedAt: new Date() } })
	return { sessionsRevoked: count, grantsRevoked: 0 }
}
