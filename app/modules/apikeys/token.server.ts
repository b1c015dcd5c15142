import crypto from 'node:crypto'
import { sha256 } from '../../utils/crypto.server'

export const API_KEY_PREFIX = 'foyer_'
/** `foyer_` + 32 random bytes in base64url (43 characters): 256 bits, so a plain sha256 at rest is enough. */
const API_KEY_SHAPE = /^foyer_[A-Za-z0-9_-]{43}$/
/** Enough to tell keys apart in a list, far too little to guess the rest from. */
export const API_KEY_LIST_PREFIX_LENGTH = 12

export function generateApiKey() {
	const key = `${API_KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`
	return { key, prefix: key.slice(0, API_KEY_LIST_PREFIX_LENGTH), keyHash: sha256(key) }
}

export function looksLikeApiKey(value: string) {
	return API_KEY_SHAPE.test(value)
}

export function hashApiKey(key: string) {
	return sha256(key)
}
