import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { type Prisma } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { decrypt, encrypt } from '../../utils/crypto.server'
import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'

const PURPOSE = 'signing-key'

const generateKeyPair = promisify(crypto.generateKeyPair)

/**
 * Generates an RS256 signing key (RS256 is the algorithm every OIDC client must accept), sealed
 * with FOYER_SECRET_KEY before it can reach the database. RSA generation takes ~100 ms (seconds on
 * a busy machine) and runs off the event loop; callers generate before opening a transaction, so
 * no connection or lock is held meanwhile.
 */
export async function generateSigningKey() {
	const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 })
	const kid = crypto.randomBytes(12).toString('base64url')
	const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
	const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
	return { kid, publicJwk, privateJwkEncrypted: encrypt(JSON.stringify(privateJwk), config().secrets.secretKey, PURPOSE) }
}

export type GeneratedSigningKey = Awaited<ReturnType<typeof generateSigningKey>>

export function storeSigningKey(tx: Prisma.TransactionClient, organizationId: string, key: GeneratedSigningKey) {
	return tx.signingKey.create({
		data: { id: key.kid, organizationId, alg: 'RS256', publicJwk: key.publicJwk, privateJwkEncrypted: key.privateJwkEncrypted },
	})
}

/** Private JWKs for oidc-provider: the active key first (it signs), then those still published. */
export async function loadSigningJwks(organizationId: string): Promise<crypto.JsonWebKey[]> {
	const keys = await db().signingKey.findMany({
		where: {
			organizationId,
			OR: [{ status: 'active' }, { status: 'retiring', retiredAt: { gte: new Date(Date.now() - RETIRED_KEY_PUBLISHED_MS) } }],
		},
		orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
	})
	return keys.map((key) => JSON.parse(decrypt(key.privateJwkEncrypted, config().secrets.secretKey, PURPOSE)) as crypto.JsonWebKey)
}

/**
 * A retired key stays published this long, so tokens it signed keep verifying until they expire
 * (ID tokens live an hour; a day leaves room for clocks and caches).
 */
export const RETIRED_KEY_PUBLISHED_MS = 24 * 3600 * 1000

/** Adds a new active key; the previous one keeps being published for verification only. */
export async function rotateSigningKey(organizationId: string, context: AuditContext = {}) {
	const generated = await generateSigningKey()
	return db().$transaction(async (tx) => {
		const now = new Date()
		const retired = await tx.signingKey.updateMany({ where: { organizationId, status: 'active' }, data: { status: 'retiring', retiredAt: now } })
		await tx.signingKey.deleteMany({ where: { organizationId, status: 'retiring', retiredAt: { lt: new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS) } } })
		const key = await storeSigningKey(tx, organizationId, generated)
		await recordAuditEvent(tx, { organizationId, type: 'oidc.key_rotated', targetType: 'signing_key', targetId: key.id, data: { retired: retired.count }, ...context })
		return key
	})
}
