import { type Prisma, type Verification } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { keyedHash, randomCode, randomToken, sameDigest, sha256 } from '../../utils/crypto.server'
import { db, type Tx } from '../../utils/db.server'

/**
 * The one store for one-time secrets sent to an address. Rules:
 * - a link carries 256 random bits; only its sha256 is stored;
 * - a code is 6 digits; only an HMAC (key from FOYER_SECRET_KEY, bound to the row id) is stored,
 *   so a database leak does not let anyone test codes offline;
 * - links live 30 minutes, codes 10 minutes; a row is consumed once, atomically;
 * - a wrong code counts against the row: at MAX_CODE_ATTEMPTS it is dead, whatever comes next;
 * - issuing a secret retires the earlier live ones of the same type for the same address;
 * - every lookup is scoped to the org: another org's token is simply unknown here.
 */
export const VERIFICATION_TYPES = ['verify-email', 'reset-password', 'magic-link', 'sign-in-code', 'change-email', 'verify-phone', 'sms-code'] as const
export type VerificationType = (typeof VERIFICATION_TYPES)[number]

export const LINK_TTL_MINUTES = 30
export const CODE_TTL_MINUTES = 10
export const MAX_CODE_ATTEMPTS = 5

const CODE_PURPOSE = 'verification-code'


export type IssueInput = {
	organizationId: string
	type: VerificationType
	target: string
	userId?: string | null
	data?: Record<string, unknown>
	link: boolean
	code: boolean
}

export type Issued = { id: string; token: string | null; code: string | null; expiresAt: Date }

export async function issueVerification(tx: Tx, input: IssueInput): Promise<Issued> {
	const now = new Date()
	await tx.verification.updateMany({
		where: { organizationId: input.organizationId, type: input.type, target: input.target, consumedAt: null, expiresAt: { gt: now } },
		data: { consumedAt: now },
	})
	const token = input.link ? randomToken(32) : null
	const code = input.code ? randomCode(6) : null
	const ttl = input.link ? LINK_TTL_MINUTES : CODE_TTL_MINUTES
	const row = await tx.verification.create({
		data: {
			organizationId: input.organizationId,
			type: input.type,
			target: input.target,
			userId: input.userId ?? null,
			tokenHash: token ? sha256(token) : null,
			data: (input.data ?? {}) as Prisma.InputJsonObject,
			expiresAt: new Date(now.getTime() + ttl * 60_000),
		},
	})
	if (code) await tx.verification.update({ where: { id: row.id }, data: { codeHash: codeHash(row.id, code) } })
	return { id: row.id, token, code, expiresAt: row.expiresAt }
}

export type Lookup = { ok: true; verification: Verification } | { ok: false; reason: 'invalid' | 'expired' | 'used' }

/** What a link token names in this org, without using it (for the page that asks to confirm). */
export async function findByToken(organizationId: string, token: string): Promise<Lookup> {
	if (!isTokenShaped(token)) return { ok: false, reason: 'invalid' }
	const row = await db().verification.findUnique({ where: { tokenHash: sha256(token) } })
	return judge(row, organizationId)
}

/** Uses a link token: exactly one concurrent caller gets the row. */
export async function consumeToken(tx: Tx, organizationId: string, token: string, type: VerificationType): Promise<Lookup> {
	if (!isTokenShaped(token)) return { ok: false, reason: 'invalid' }
	const tokenHash = sha256(token)
	const used = await tx.verification.updateMany({
		where: { tokenHash, organizationId, type, consumedAt: null, expiresAt: { gt: new Date() } },
		data: { consumedAt: new Date() },
	})
	const row = await tx.verification.findUnique({ where: { tokenHash } })
	if (used.count === 1 && row) return { ok: true, verification: row }
	const judged = judge(row, organizationId)
	if (judged.ok) return { ok: false, reason: row?.type === type ? 'used' : 'invalid' }
	return judged
}

export type CodeCheck = Lookup | { ok: false; reason: 'wrong'; attemptsLeft: number }

/**
 * Checks a code for (type, address) against the newest live row and uses it when right. A wrong
 * code spends one of the row's attempts; the last wrong one kills the row.
 */
export async function consumeCode(tx: Tx, input: { organizationId: string; type: VerificationType; target: string; code: string }): Promise<CodeCheck> {
	const now = new Date()
	const row = await tx.verification.findFirst({
		where: {
			organizationId: input.organizationId,
			type: input.type,
			target: input.target,
			codeHash: { not: null },
			consumedAt: null,
			expiresAt: { gt: now },
			createdAt: { gt: new Date(now.getTime() - CODE_TTL_MINUTES * 60_000) },
		},
		orderBy: { createdAt: 'desc' },
	})
	if (!row) return { ok: false, reason: 'expired' }
	if (!/^\d{6}$/.test(input.code) || !sameDigest(codeHash(row.id, input.code), row.codeHash!)) {
		const [updated] = await tx.$queryRaw<{ attempts: number }[]>`
			UPDATE "Verification" SET attempts = attempts + 1,
				"consumedAt" = CASE WHEN attempts + 1 >= ${MAX_CODE_ATTEMPTS} THEN now() ELSE "consumedAt" END
			WHERE id = ${row.id} AND "consumedAt" IS NULL RETURNING attempts`
		return { ok: false, reason: 'wrong', attemptsLeft: Math.max(0, MAX_CODE_ATTEMPTS - (updated?.attempts ?? MAX_CODE_ATTEMPTS)) }
	}
	const used = await tx.verification.updateMany({ where: { id: row.id, consumedAt: null }, data: { consumedAt: now } })
	if (used.count !== 1) return { ok: false, reason: 'used' }
	return { ok: true, verification: row }
}

/** Rows past their expiry are of no use to anyone; the server purges them with the OIDC payloads. */
export async function deleteExpiredVerifications(olderThan = new Date(Date.now() - 24 * 3_600_000)) {
	const { count } = await db().verification.deleteMany({ where: { expiresAt: { lt: olderThan } } })
	return count
}

function judge(row: Verification | null, organizationId: string): Lookup {
	if (!row || row.organizationId !== organizationId) return { ok: false, reason: 'invalid' }
	if (row.consumedAt) return { ok: false, reason: 'used' }
	if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' }
	return { ok: true, verification: row }
}

function codeHash(id: string, code: string) {
	return keyedHash(`${id}:${code}`, config().secrets.secretKey, CODE_PURPOSE)
}

function isTokenShaped(token: string) {
	return /^[A-Za-z0-9_-]{43}$/.test(token)
}
