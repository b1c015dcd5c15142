import crypto from 'node:crypto'
import { type Prisma } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { decrypt, encrypt } from '../../utils/crypto.server'
import { db } from '../../utils/db.server'

const PURPOSE = 'signing-key'

/**
 * Generates an org's RS256 signing key (RS256 is the algorithm every OIDC client must accept).
 * The private JWK is sealed with FOYER_SECRET_KEY before it reaches the database.
 */
export async function createSigningKey(tx: Prisma.TransactionClient, organizationId: string) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
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
		where: { organizationId, status: { in: ['active', 'retiring'] } },
		orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
	})
	return keys.map((key) => JSON.parse(decrypt(key.privateJwkEncrypted, config().secrets.secretKey, PURPOSE)) as crypto.JsonWebKey)
}
