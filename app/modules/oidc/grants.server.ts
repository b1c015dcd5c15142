import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'

/**
 * A user's grants: oidc-provider's Grant rows (the account in the payload), one per app the user
 * signed in to, and under each the codes, access tokens and refresh tokens issued for it (rows
 * that carry its grantId). Deleting a grant with those rows ends the app's access at once: an
 * opaque token is looked up through the adapter, and userinfo, introspection and the refresh grant
 * all refuse a token whose grant is gone. The app must send the user through sign-in again.
 *
 * Rules:
 * - every query names the org and the user, so another user's or another org's grant id is
 *   simply not found;
 * - whatever ends a user's sign-ins or takes a credential away (see sessions/end-sign-ins.server.ts)
 *   ends all of their grants, in the caller's transaction, next to its audit event.
 */

type GrantPayload = { accountId?: string; clientId?: string; openid?: { scope?: string }; iat?: number }

/**
 * Every grant row of the user, expired ones too. Raw SQL so that PostgreSQL uses the index on the
 * payload's accountId (migration oidc_grant_account_index); Prisma's JSON filter would not.
 */
function userGrantRows(tx: Tx, organizationId: string, userId: string) {
	return tx.$queryRaw<{ id: string; payload: GrantPayload; expiresAt: Date | null }[]>`
		SELECT id, payload, "expiresAt" FROM "OidcPayload"
		WHERE model = 'Grant' AND "organizationId" = ${organizationId} AND payload->>'accountId' = ${userId}`
}

/** The grants and every row issued under them. */
async function deleteGrants(tx: Tx, organizationId: string, grantIds: string[]) {
	if (grantIds.length === 0) return
	await tx.oidcPayload.deleteMany({ where: { organizationId, OR: [{ model: 'Grant', id: { in: grantIds } }, { grantId: { in: grantIds } }] } })
}

/** Ends every grant of the user in the org, with their tokens. Returns how many grants ended. */
export async function revokeUserGrants(tx: Tx, organizationId: string, userId: string): Promise<number> {
	const grants = await userGrantRows(tx, organizationId, userId)
	await deleteGrants(tx, organizationId, grants.map((grant) => grant.id))
	return grants.length
}

/** oidc-provider's own sessions of the user (its single sign-on state), for an account handed to someone else. */
export async function deleteUserProviderSessions(tx: Tx, organizationId: string, userId: string): Promise<number> {
	const { count } = await tx.oidcPayload.deleteMany({ where: { organizationId, model: 'Session', payload: { path: ['accountId'], equals: userId } } })
	return count
}

/** The scopes Foyer offers, in the order people read them; any other scope follows. */
const SCOPE_ORDER = ['openid', 'email', 'profile', 'offline_access']
const scopeRank = (scope: string) => (SCOPE_ORDER.includes(scope) ? SCOPE_ORDER.indexOf(scope) : SCOPE_ORDER.length)

export type ConnectedApp = {
	/** One of the user's grants for the app: the id /account posts to revoke the app's access. */
	grantId: string
	appName: string
	clientId: string
	firstParty: boolean
	scopes: string[]
	grantedAt: string | null
	lastUsedAt: string | null
}

type StoredGrant = { grantId: string; clientId: string; scopes: string[]; iat: number | null }

/** The user's grants that are still good. */
async function loadUserGrants(tx: Tx, organizationId: string, userId: string): Promise<StoredGrant[]> {
	const now = Date.now()
	return (await userGrantRows(tx, organizationId, userId))
		.filter((row) => row.expiresAt === null || row.expiresAt.getTime() > now)
		.map(({ id, payload }) => ({ grantId: id, clientId: payload.clientId ?? '', scopes: (payload.openid?.scope ?? '').split(' ').filter(Boolean), iat: payload.iat ?? null }))
}

/**
 * The apps the user has given access to, first-party apps too (they were granted on the user's
 * behalf), one entry per app however many browsers signed in to it (each gets a grant of its
 * own), by name. `grantedAt` is the first grant; `lastUsedAt` is when the app last got a token,
 * known while one of its tokens is still stored.
 */
export async function listConnectedApps(organizationId: string, userId: string): Promise<ConnectedApp[]> {
	const grants = await loadUserGrants(db(), organizationId, userId)
	if (grants.length === 0) return []
	const [apps, lastTokens] = await Promise.all([
		db().application.findMany({ where: { organizationId, clientId: { in: [...new Set(grants.map((grant) => grant.clientId))] } } }),
		db().$queryRaw<{ grantId: string; iat: bigint | null }[]>`
			SELECT "grantId", max((payload->>'iat')::bigint) AS iat FROM "OidcPayload"
			WHERE "organizationId" = ${organizationId} AND "grantId" = ANY(${grants.map((grant) => grant.grantId)}) AND model IN ('AccessToken', 'RefreshToken')
			GROUP BY "grantId"`,
	])
	const lastUsed = new Map(lastTokens.map((token) => [token.grantId, token.iat === null ? null : Number(token.iat)]))
	const epoch = (seconds: number | null) => (seconds ? new Date(seconds * 1000).toISOString() : null)
	const newest = (values: (number | null | undefined)[]) => Math.max(0, ...values.map((value) => value ?? 0)) || null
	return apps
		.map((app) => {
			const own = grants.filter((grant) => grant.clientId === app.clientId).sort((a, b) => (a.iat ?? 0) - (b.iat ?? 0))
			return {
				grantId: own[0]!.grantId,
				appName: app.name,
				clientId: app.clientId,
				firstParty: app.firstParty,
				scopes: [...new Set(own.flatMap((grant) => grant.scopes))].sort((a, b) => scopeRank(a) - scopeRank(b)),
				grantedAt: epoch(own[0]!.iat),
				lastUsedAt: epoch(newest(own.map((grant) => lastUsed.get(grant.grantId)))),
			}
		})
		.sort((a, b) => a.appName.localeCompare(b.appName))
}

export class GrantNotFoundError extends Error {}

/**
 * The user ends one app's access from /account: the grant named, and the user's other grants for
 * the same app (one per browser that signed in to it), with their tokens; audited. A grant id of
 * another user or org is "not found" and ends nothing.
 */
export async function revokeAppAccess(organizationId: string, userId: string, grantId: string, context: AuditContext = {}): Promise<{ appName: string }> {
	return db().$transaction(async (tx) => {
		const grants = await loadUserGrants(tx, organizationId, userId)
		const named = grants.find((grant) => grant.grantId === grantId)
		if (!named) throw new GrantNotFoundError('No such connected app')
		const sameApp = grants.filter((grant) => grant.clientId === named.clientId)
		await deleteGrants(tx, organizationId, sameApp.map((grant) => grant.grantId))
		const app = await tx.application.findFirst({ where: { organizationId, clientId: named.clientId }, select: { name: true } })
		await recordAuditEvent(tx, {
			organizationId,
			type: 'oidc.consent_revoked',
			actorId: userId,
			targetType: 'grant',
			targetId: grantId,
			data: { clientId: named.clientId, grantsRevoked: sameApp.length },
			...context,
		})
		return { appName: app?.name ?? 'The app' }
	})
}
