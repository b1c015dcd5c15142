import { expect } from 'vitest'
import { type Foyer } from '../setup/foyer'
import { type Client } from '../setup/http'

/**
 * What the admin-users-*.test.ts files share: signing in to acme, reading a user's row, sessions
 * and audit events, and checking a page's status. Helpers that need the file's server come from
 * `adminUsersHelpers(foyer)`.
 */

type Response = Awaited<ReturnType<Client['request']>>

export async function expectStatus(response: Response, status: number) {
	const html = await response.text()
	expect(response.status, html.slice(0, 400)).toBe(status)
	return html
}

/** The helpers that sign people in on, or read the database of, one file's server. */
export function adminUsersHelpers(foyer: Foyer) {
	const idOf = async (email: string, org = 'acme') =>
		(await foyer.sql<{ id: string }>(`SELECT u.id FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE o.slug = $1 AND u.email = $2`, [org, email]))[0]?.id

	const userRow = async (id: string) =>
		(await foyer.sql<{ role: string; disabledAt: Date | null }>(`SELECT role, "disabledAt" FROM "User" WHERE id = $1`, [id]))[0]

	const liveSessions = async (id: string) => Number((await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "Session" WHERE "userId" = $1 AND "revokedAt" IS NULL`, [id]))[0]!.n)

	const auditCount = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "AuditEvent"'))[0]!.n)

	async function latestEvent(type: string, targetId: string) {
		const [event] = await foyer.sql<{ actorId: string | null; targetId: string; targetType: string; data: Record<string, unknown> }>(
			`SELECT "actorId", "targetId", "targetType", data FROM "AuditEvent" WHERE type = $1 AND "targetId" = $2 ORDER BY seq DESC LIMIT 1`,
			[type, targetId],
		)
		expect(event, `${type} event for ${targetId}`).toBeTruthy()
		return event!
	}

	async function signIn(email: string, password: string) {
		const client = foyer.client('acme')
		const response = await client.post('/login', { email, password })
		return { client, response }
	}

	/** A CLI-made member of acme who is signed in (so has a live session); returns their id and browser. */
	async function signedInMember(email: string) {
		const made = await foyer.cli(['users', 'create', '--org', 'acme', '--email', email, '--json'])
		expect(made.code, made.stderr).toBe(0)
		const { client, response } = await signIn(email, String(made.json!.password))
		expect(response.status).toBe(302)
		return { id: (await idOf(email))!, client, password: String(made.json!.password) }
	}

	return { idOf, userRow, liveSessions, auditCount, latestEvent, signIn, signedInMember }
}
