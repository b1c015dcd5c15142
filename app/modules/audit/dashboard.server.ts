import { db } from '../../utils/db.server'

/**
 * The admin dashboard's numbers: users by state, and sign-ins and failed sign-ins per UTC day
 * for the last 7 days (today included), read off the audit log.
 *
 * A failure is `user.sign_in_failed` (wrong password, passkey, ...) or `mfa.failed` (a wrong
 * second factor). The day counts use the `(organizationId, type, createdAt)` index: three
 * range scans over one week, whatever the log's size.
 */

export const SIGN_IN_TYPES = ['user.signed_in'] as const
export const FAILURE_TYPES = ['user.sign_in_failed', 'mfa.failed'] as const
export const DASHBOARD_DAYS = 7

export type DayCount = { day: string; signIns: number; failures: number }
export type DashboardStats = { users: { active: number; disabled: number }; days: DayCount[] }

export async function dashboardStats(organizationId: string, now = new Date()): Promise<DashboardStats> {
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
	const start = new Date(today - (DASHBOARD_DAYS - 1) * 86_400_000)
	const [users, counts] = await Promise.all([
		db().$queryRaw<{ active: bigint; disabled: bigint }[]>`
			SELECT count(*) FILTER (WHERE "disabledAt" IS NULL) AS active, count(*) FILTER (WHERE "disabledAt" IS NOT NULL) AS disabled
			FROM "User" WHERE "organizationId" = ${organizationId}`,
		db().$queryRaw<{ day: string; type: string; n: bigint }[]>`
			SELECT to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS day, type, count(*) AS n
			FROM "AuditEvent"
			WHERE "organizationId" = ${organizationId} AND type IN (${SIGN_IN_TYPES[0]}, ${FAILURE_TYPES[0]}, ${FAILURE_TYPES[1]})
				AND "createdAt" >= ${start.toISOString()}::timestamp
			GROUP BY 1, 2`,
	])
	const days: DayCount[] = Array.from({ length: DASHBOARD_DAYS }, (_, i) => ({ day: new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10), signIns: 0, failures: 0 }))
	const byDay = new Map(days.map((day) => [day.day, day]))
	for (const row of counts) {
		const day = byDay.get(row.day)
		if (!day) continue
		if ((SIGN_IN_TYPES as readonly string[]).includes(row.type)) day.signIns += Number(row.n)
		else day.failures += Number(row.n)
	}
	return { users: { active: Number(users[0]?.active ?? 0), disabled: Number(users[0]?.disabled ?? 0) }, days }
}
