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
 * Generates an org's RS256 signing key (RS256 is the algorithm every OIDC client must accept).
 * The private JWK is sealed with FOYER_SECRET_KEY before it reaches the database. RSA generation
 * takes ~100 ms and runs off the event loop, so other requests keep being served meanwhile.
 */
export async function createSigningKey(tx: Prisma.TransactionClient, organizationId: string) {
	const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 })
	const kid = crypto.randomBytes(12).toString('base64url')
	const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
	const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
	return tx.signingKey.create({
		data: {
			id: kid,
			organizationId,
			alg: 'RS256',
			publicJwk,
			privateJwkEncrypted: encrypt(JSON.stringify(privateJwk), config().secrets.secretKey, PURPOSE),
		},
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
	return db().$transaction(async (tx) => {
		const now = new Date()
		const retired = await tx.signingKey.updateMany({ where: { organizationId, status: 'active' }, data: { status: 'retiring', retiredAt: now } })
		await tx.signingKey.deleteMany({ where: { organizationId, status: 'retiring', retiredAt: { lt: new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS) } } })
		const key = await createSigningKey(tx, organizationId)
		await recordAuditEvent(tx, { organizationId, type: 'oidc.key_rotated', targetType: 'signing_key', targetId: key.id, data: { retired: retired.count }, ...context })
		return key
	})
}
