import crypto from 'node:crypto'
import { argon2id, hash as argon2Hash, verify as argon2Verify } from 'argon2'
import { fitsPasswordMaxBytes, normalizePassword } from './policy'

/**
 * Password storage: argon2id (OWASP's m=19456 KiB, t=2, p=1) over HMAC-SHA256(pepper, NFKC password).
 *
 * Why a pepper, applied as an HMAC before argon2: the pepper lives in the secrets (env or
 * `.data/secrets.json`), never in the database, and is not part of the stored hash string, so a
 * leaked database without the secret cannot be cracked offline. HMAC also turns any password into
 * 32 bytes, so argon2's cost does not depend on the password's length.
 *
 * Consequence: rotating the pepper would invalidate every stored hash. There is one pepper for now;
 * a rotation would need to keep the old one, verify with it and re-hash with the new one at the next
 * sign-in (the same path `needsRehash` opens for parameter changes).
 */

/** Exported so the benchmark measures bare argon2 with exactly these parameters. */
export const ARGON2_OPTIONS = Object.freeze({
	type: argon2id,
	memoryCost: 19456,
	timeCost: 2,
	parallelism: 1,
})

const ARGON2_VERSION = 0x13

// A hash of 32 random bytes (thrown away) with ARGON2_OPTIONS, so an unknown email costs the same
// argon2 work as a known one. Regenerate when the options change; a test compares them.
const DUMMY_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$sIS3TT0N/LYDjEHC5BayQg$QlzSg1O3BNv6DBQsMiZg1GdPHH2F+bosCdBGen5gFhk'

/** Expects a password that passed `checkPassword`; throws if it could not have. */
export async function hashPassword(password: string, pepper: string): Promise<string> {
	const digest = pepperedDigest(password, pepper)
	if (digest === null) {
		throw new RangeError('Password exceeds PASSWORD_MAX_BYTES: checkPassword should have refused it')
	}
	return argon2Hash(digest, ARGON2_OPTIONS)
}

/**
 * False for a wrong password, an oversized one (refused before argon2) or a malformed stored hash,
 * so a bad row can never turn a sign-in into a 500. Use `dummyVerify` when there is no hash.
 */
export async function verifyPassword(hash: string, password: string, pepper: string): Promise<boolean> {
	const digest = pepperedDigest(password, pepper)
	if (digest === null || parseHash(hash) === null) return false
	try {
		return await argon2Verify(hash, digest)
	} catch {
		return false
	}
}

/**
 * For an unknown email or an account without a password: the same HMAC and argon2 work as
 * `verifyPassword`, so response time does not reveal which emails have accounts.
 */
export async function dummyVerify(password: string, pepper: string): Promise<void> {
	await verifyPassword(DUMMY_HASH, password, pepper)
}

/** True when the hash was not made with today's type and parameters: re-hash after a good sign-in. */
export function needsRehash(hash: string): boolean {
	const parsed = parseHash(hash)
	return (
		parsed === null ||
		parsed.version !== ARGON2_VERSION ||
		parsed.memoryCost !== ARGON2_OPTIONS.memoryCost ||
		parsed.timeCost !== ARGON2_OPTIONS.timeCost ||
		parsed.parallelism !== ARGON2_OPTIONS.parallelism
	)
}

// Null for oversized input so neither NFKC nor argon2 ever runs on it.
function pepperedDigest(password: string, pepper: string): Buffer | null {
	// An empty key would make the HMAC public knowledge: a configuration bug, never user input.
	if (pepper.length === 0) throw new Error('The password pepper is empty')
	if (!fitsPasswordMaxBytes(password)) return null
	const normalized = normalizePassword(password)
	if (!fitsPasswordMaxBytes(normalized)) return null
	return crypto.createHmac('sha256', pepper).update(normalized, 'utf8').digest()
}

// Only the exact PHC form this module writes; anything else is treated as malformed.
const HASH_FORMAT = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{11,}$/

function parseHash(hash: string) {
	const match = HASH_FORMAT.exec(hash)
	if (match === null) return null
	return {
		version: Number(match[1]),
		memoryCost: Number(match[2]),
		timeCost: Number(match[3]),
		parallelism: Number(match[4]),
	}
}
