import { type ApiKey } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { cleanStatements, hasPermission, type Permissions } from '../permissions/statements'
import { apiKeyInputSchema, permissionsToWords, statementWordsFor, wordsToPermissions, type ApiKeyInput } from './schema'
import { generateApiKey, hashApiKey, looksLikeApiKey } from './token.server'

/** A statement the key may not carry: the form shows it on the statements field, the CLI prints it. */
export class ApiKeyStatementError extends Error {}

export class ApiKeyNotFoundError extends Error {
	constructor() {
		super('No such API key in this organization')
	}
}

/** What lists show: never the hash. */
export function publicApiKey(key: ApiKey) {
	return {
		id: key.id,
		name: key.name,
		prefix: key.prefix,
		statements: permissionsToWords(cleanStatements(key.statements)),
		createdAt: key.createdAt.toISOString(),
		lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
		revokedAt: key.revokedAt?.toISOString() ?? null,
	}
}

export type PublicApiKey = ReturnType<typeof publicApiKey>

/**
 * Creates a key and returns it in plain text, once; only its sha256 is stored. A key never holds
 * more than its creator (`creator: null` is the CLI, run by whoever holds the server's data), and
 * only the operator org's keys may hold `org` statements.
 */
export async function createApiKey(
	org: { id: string; isOperator: boolean },
	input: ApiKeyInput,
	creator: { permissions: Permissions | null } & AuditContext,
) {
	const parsed = apiKeyInputSchema.parse(input)
	const allowed = statementWordsFor(org.isOperator)
	const foreign = parsed.statements.filter((word) => !allowed.includes(word))
	if (foreign.length) throw new ApiKeyStatementError(`Only platform keys (of the operator organization) may hold ${foreign.join(', ')}.`)
	const statements = wordsToPermissions(parsed.statements)
	if (creator.permissions && !hasPermission(creator.permissions, statements)) {
		const beyond = permissionsToWords(statements).filter((word) => !hasPermission(creator.permissions!, wordsToPermissions([word])))
		throw new ApiKeyStatementError(`A key can't hold more than your role does: you don't hold ${beyond.join(', ')}.`)
	}
	const { key, prefix, keyHash } = generateApiKey()
	const created = await db().$transaction(async (tx) => {
		const row = await tx.apiKey.create({ data: { organizationId: org.id, name: parsed.name, prefix, keyHash, statements, createdById: creator.actorId ?? null } })
		await recordAuditEvent(tx, {
			organizationId: org.id,
			type: 'api_key.created',
			targetType: 'api_key',
			targetId: row.id,
			actorId: creator.actorId,
			ip: creator.ip,
			userAgent: creator.userAgent,
			data: { name: row.name, prefix, statements },
		})
		return row
	})
	return { key, apiKey: publicApiKey(created) }
}

/** Active keys first, then revoked ones (kept for the record), newest first within each. */
export async function listApiKeys(organizationId: string) {
	const keys = await db().apiKey.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500 })
	return keys.map(publicApiKey).sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null))
}

/**
 * Revokes a key of this org (an id of another org is "no such key"). Revoking twice is not an
 * error, but only the first writes an event.
 */
export async function revokeApiKey(organizationId: string, id: string, context: AuditContext = {}) {
	return db().$transaction(async (tx) => {
		const key = await tx.apiKey.findFirst({ where: { id, organizationId } })
		if (!key) throw new ApiKeyNotFoundError()
		if (key.revokedAt) return publicApiKey(key)
		const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } })
		await recordAuditEvent(tx, { organizationId, type: 'api_key.revoked', targetType: 'api_key', targetId: key.id, data: { name: key.name, prefix: key.prefix }, ...context })
		return publicApiKey(revoked)
	})
}

const TOUCH_INTERVAL_MS = 60_000

export type AuthenticatedKey = { id: string; organizationId: string; name: string; statements: Permissions }

/**
 * The live key for a bearer token on this org's host, or null: unknown, revoked, another org's,
 * or its org suspended. `lastUsedAt` is written at most once a minute per key, and the
 * conditional update means concurrent requests don't all write it.
 */
export async function authenticateApiKey(token: string, organizationId: string): Promise<AuthenticatedKey | null> {
	if (!looksLikeApiKey(token)) return null
	const key = await db().apiKey.findUnique({ where: { keyHash: hashApiKey(token) }, include: { organization: { select: { suspendedAt: true } } } })
	if (!key || key.revokedAt || key.organizationId !== organizationId || key.organization.suspendedAt) return null
	const now = Date.now()
	if (!key.lastUsedAt || now - key.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
		const staleBefore = new Date(now - TOUCH_INTERVAL_MS)
		await db().apiKey.updateMany({ where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] }, data: { lastUsedAt: new Date(now) } })
	}
	return { id: key.id, organizationId: key.organizationId, name: key.name, statements: cleanStatements(key.statements) }
}
