import { type ApiKey, Prisma } from '../../generated/prisma/client'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { cleanStatements, hasPermission, roleStatements, type Permissions } from '../permissions/statements'
import { apiKeyInputSchema, expiresAtFor, permissionsToWords, statementWordsFor, wordsToPermissions, type ApiKeyInput } from './schema'
import { apiKeyStatus, heldByBoth, type ApiKeyCreatorKind } from './standing'
import { generateApiKey, hashApiKey, looksLikeApiKey } from './token.server'

/** A statement the key may not carry: the form shows it on the statements field, the CLI prints it. */
export class ApiKeyStatementError extends Error {}

export class ApiKeyNotFoundError extends Error {
	constructor() {
		super('No such API key in this organization')
	}
}

const withCreator = { createdBy: { select: { organizationId: true, email: true, disabledAt: true } } } as const

type ListedKey = ApiKey & { createdBy: { organizationId: string; email: string; disabledAt: Date | null } | null }

/** The creating user as the key sees them: one of its org's users, or nobody. */
function creatorOf(key: ListedKey) {
	return key.createdBy && key.createdBy.organizationId === key.organizationId ? key.createdBy : null
}

/** What lists show: never the hash. */
export function publicApiKey(key: ListedKey, now = new Date()) {
	const creator = creatorOf(key)
	return {
		id: key.id,
		name: key.name,
		prefix: key.prefix,
		statements: permissionsToWords(cleanStatements(key.statements)),
		createdAt: key.createdAt.toISOString(),
		/** `cli`: the server operator's key; `user`: bounded by `email`'s role (null once they are deleted). */
		createdBy: key.creatorKind === 'cli' ? { kind: 'cli' as const, email: null } : { kind: 'user' as const, email: creator?.email ?? null },
		expiresAt: key.expiresAt?.toISOString() ?? null,
		lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
		revokedAt: key.revokedAt?.toISOString() ?? null,
		status: apiKeyStatus({ ...key, creator }, now),
	}
}

export type PublicApiKey = ReturnType<typeof publicApiKey>

/** Who makes a key: a console user, whose role bounds it for as long as it lives, or the CLI. */
export type ApiKeyCreator = { kind: 'user'; userId: string; permissions: Permissions } | { kind: 'cli' }

/**
 * Creates a key and returns it in plain text, once; only its sha256 is stored. A user's key never
 * holds more than its creator, now or later (authenticateApiKey checks again at each use); a CLI
 * key is run by whoever holds the server's data. Only the operator org's keys may hold `org`
 * statements.
 */
export async function createApiKey(org: { id: string; isOperator: boolean }, input: ApiKeyInput, creator: ApiKeyCreator, context: AuditContext = {}) {
	const parsed = apiKeyInputSchema.parse(input)
	const allowed = statementWordsFor(org.isOperator)
	const foreign = parsed.statements.filter((word) => !allowed.includes(word))
	if (foreign.length) throw new ApiKeyStatementError(`Only platform keys (of the operator organization) may hold ${foreign.join(', ')}.`)
	const statements = wordsToPermissions(parsed.statements)
	if (creator.kind === 'user' && !hasPermission(creator.permissions, statements)) {
		const beyond = permissionsToWords(statements).filter((word) => !hasPermission(creator.permissions, wordsToPermissions([word])))
		throw new ApiKeyStatementError(`A key can't hold more than your role does: you don't hold ${beyond.join(', ')}.`)
	}
	const { key, prefix, keyHash } = generateApiKey()
	const expiresAt = expiresAtFor(parsed.expiresIn)
	const createdById = creator.kind === 'user' ? creator.userId : null
	const created = await db().$transaction(async (tx) => {
		const row = await tx.apiKey.create({
			data: { organizationId: org.id, name: parsed.name, prefix, keyHash, statements, creatorKind: creator.kind, createdById, expiresAt },
			include: withCreator,
		})
		await recordAuditEvent(tx, {
			organizationId: org.id,
			type: 'api_key.created',
			targetType: 'api_key',
			targetId: row.id,
			...context,
			data: { name: row.name, prefix, statements, creatorKind: creator.kind, expiresAt: expiresAt?.toISOString() ?? null },
		})
		return row
	})
	return { key, apiKey: publicApiKey(created) }
}

/** Working keys first, then the others (revoked, expired, their creator gone; kept for the record), newest first within each. */
export async function listApiKeys(organizationId: string) {
	const keys = await db().apiKey.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500, include: withCreator })
	const now = new Date()
	return keys.map((key) => publicApiKey(key, now)).sort((a, b) => Number(a.status !== 'active') - Number(b.status !== 'active'))
}

/**
 * Revokes a key of this org (an id of another org is "no such key"). Revoking twice is not an
 * error, but only the first writes an event.
 */
export async function revokeApiKey(organizationId: string, id: string, context: AuditContext = {}) {
	return db().$transaction(async (tx) => {
		const key = await tx.apiKey.findFirst({ where: { id, organizationId }, include: withCreator })
		if (!key) throw new ApiKeyNotFoundError()
		if (key.revokedAt) return publicApiKey(key)
		const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, include: withCreator })
		await recordAuditEvent(tx, { organizationId, type: 'api_key.revoked', targetType: 'api_key', targetId: key.id, data: { name: key.name, prefix: key.prefix }, ...context })
		return publicApiKey(revoked)
	})
}

const TOUCH_INTERVAL_MS = 60_000

export type AuthenticatedKey = {
	id: string
	organizationId: string
	name: string
	/** What the key may do now: its statements, and for a user's key only those its creator holds now. */
	statements: Permissions
	/** What the key was given at creation. */
	keyStatements: Permissions
	creatorKind: ApiKeyCreatorKind
	/**
	 * Whether the key may give `owner` or act on owners: only an owner may, so only a key of the
	 * server's operator (the CLI) or of a creator who is an owner now. Statements alone cannot say
	 * it: a custom role may hold every statement and still not be an owner.
	 */
	ownerRights: boolean
}

/** Why a key that exists is refused; `unknown` covers no such key, revoked, another org's, or its org suspended. */
export type ApiKeyRefusal = { reason: 'unknown' } | { reason: 'expired'; expiresAt: Date } | { reason: 'creator_disabled' } | { reason: 'creator_deleted' }

type KeyRow = {
	id: string
	organizationId: string
	name: string
	statements: unknown
	creatorKind: ApiKeyCreatorKind
	expiresAt: Date | null
	lastUsedAt: Date | null
	revokedAt: Date | null
	orgSuspendedAt: Date | null
	creatorId: string | null
	creatorRole: string | null
	creatorDisabledAt: Date | null
	creatorRoleStatements: unknown
}

/**
 * One query reads the key, its org, its creator and the creator's custom role (if any), so what
 * the creator holds is read fresh without a second round trip. `lockKey` holds the key's row
 * (FOR SHARE) until the caller's transaction ends.
 */
function keyRow(client: Pick<Tx, '$queryRaw'>, where: Prisma.Sql, lockKey = false) {
	return client.$queryRaw<KeyRow[]>`
		SELECT k.id, k."organizationId", k.name, k.statements, k."creatorKind"::text AS "creatorKind", k."expiresAt", k."lastUsedAt", k."revokedAt",
			o."suspendedAt" AS "orgSuspendedAt", u.id AS "creatorId", u.role AS "creatorRole", u."disabledAt" AS "creatorDisabledAt", r.statements AS "creatorRoleStatements"
		FROM "ApiKey" k
		JOIN "Organization" o ON o.id = k."organizationId"
		LEFT JOIN "User" u ON u.id = k."createdById" AND u."organizationId" = k."organizationId"
		LEFT JOIN "Role" r ON r."organizationId" = k."organizationId" AND r.name = u.role
		WHERE ${where} ${lockKey ? Prisma.sql`FOR SHARE OF k` : Prisma.empty}`
}

/** The one judgement of a key: live or why not, and what it may do now. */
function judgeKey(row: KeyRow | undefined, organizationId: string): { key: AuthenticatedKey } | { refused: ApiKeyRefusal } {
	if (!row || row.organizationId !== organizationId || row.orgSuspendedAt) return { refused: { reason: 'unknown' } }
	const creator = row.creatorId ? { disabledAt: row.creatorDisabledAt } : null
	const status = apiKeyStatus({ ...row, creator })
	if (status === 'revoked') return { refused: { reason: 'unknown' } }
	if (status === 'expired') return { refused: { reason: 'expired', expiresAt: row.expiresAt! } }
	if (status !== 'active') return { refused: { reason: status } }
	const keyStatements = cleanStatements(row.statements)
	const cli = row.creatorKind === 'cli'
	const statements = cli ? keyStatements : heldByBoth(keyStatements, roleStatements(row.creatorRole!, row.creatorRoleStatements))
	return { key: { id: row.id, organizationId: row.organizationId, name: row.name, statements, keyStatements, creatorKind: row.creatorKind, ownerRights: cli || row.creatorRole === 'owner' } }
}

/**
 * The live key for a bearer token on this org's host, or why not. `lastUsedAt` is written at most
 * once a minute per key, and the conditional update means concurrent requests don't all write it.
 */
export async function authenticateApiKey(token: string, organizationId: string): Promise<{ key: AuthenticatedKey } | { refused: ApiKeyRefusal }> {
	if (!looksLikeApiKey(token)) return { refused: { reason: 'unknown' } }
	const [row] = await keyRow(db(), Prisma.sql`k."keyHash" = ${hashApiKey(token)}`)
	const judged = judgeKey(row, organizationId)
	if ('refused' in judged) return judged
	const now = Date.now()
	if (!row!.lastUsedAt || now - row!.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
		const staleBefore = new Date(now - TOUCH_INTERVAL_MS)
		await db().apiKey.updateMany({ where: { id: row!.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] }, data: { lastUsedAt: new Date(now) } })
	}
	return judged
}

/**
 * A key of the org as it stands now (same judgement as at every request), for a grant it made in
 * advance: an invitation it sent is accepted only while the key could still send it. Locked until
 * the transaction ends, so a revocation running at the same time waits or is seen.
 */
export async function currentKey(tx: Tx, organizationId: string, keyId: string): Promise<AuthenticatedKey | null> {
	const [row] = await keyRow(tx, Prisma.sql`k.id = ${keyId}`, true)
	const judged = judgeKey(row, organizationId)
	return 'key' in judged ? judged.key : null
}
