import crypto from 'node:crypto'

export function randomToken(bytes = 32): string {
	return crypto.randomBytes(bytes).toString('base64url')
}

export function sha256(value: string): string {
	return crypto.createHash('sha256').update(value).digest('hex')
}

/** A password a person can copy: 24 characters from an unambiguous alphabet (~137 bits). */
export function generatePassword(length = 24): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
	let out = ''
	for (let i = 0; i < length; i++) out += alphabet[crypto.randomInt(alphabet.length)]
	return out
}

const derivedKeys = new Map<string, Buffer>()

/** HKDF per (secret, purpose), derived once: decryption sits on the token endpoint's hot path. */
function deriveKey(secret: string, purpose: string): Buffer {
	const id = `${purpose}\u0000${secret}`
	let key = derivedKeys.get(id)
	if (!key) {
		key = Buffer.from(crypto.hkdfSync('sha256', secret, 'foyer', `foyer:${purpose}`, 32))
		derivedKeys.set(id, key)
	}
	return key
}

/**
 * AES-256-GCM with a key derived per purpose from FOYER_SECRET_KEY, so one leaked derived key
 * opens only one kind of secret. Output: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export function encrypt(plaintext: string, secret: string, purpose: string): string {
	const iv = crypto.randomBytes(12)
	const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv)
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
	return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
}

export function decrypt(sealed: string, secret: string, purpose: string): string {
	const [version, iv, tag, body] = sealed.split('.')
	if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised encrypted value')
	// A pinned tag length: Node would otherwise accept a tag cut down to 4 bytes.
	const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey(secret, purpose), Buffer.from(iv, 'base64url'), { authTagLength: 16 })
	decipher.setAuthTag(Buffer.from(tag, 'base64url'))
	return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

/** HMAC-SHA256 with a key derived per purpose: for low-entropy secrets (one-time codes) at rest. */
export function keyedHash(value: string, secret: string, purpose: string): string {
	return crypto.createHmac('sha256', deriveKey(secret, purpose)).update(value).digest('hex')
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
	const left = Buffer.from(a, 'hex')
	const right = Buffer.from(b, 'hex')
	return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right)
}

/** A numeric one-time code with every digit uniformly random. */
export function randomCode(digits = 6): string {
	return crypto.randomInt(0, 10 ** digits).toString().padStart(digits, '0')
}
