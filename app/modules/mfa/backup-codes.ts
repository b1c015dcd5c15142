import crypto from 'node:crypto'

/**
 * Backup codes: ten at a time, each 10 characters from an alphabet without look-alikes (50 bits),
 * shown as `xxxxx-xxxxx`. Typing is forgiving: case, spaces and dashes do not matter.
 */
export const BACKUP_CODE_COUNT = 10
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const LENGTH = 10

export function newBackupCodes(count = BACKUP_CODE_COUNT): string[] {
	return Array.from({ length: count }, () => {
		let code = ''
		for (let i = 0; i < LENGTH; i++) code += ALPHABET[crypto.randomInt(ALPHABET.length)]
		return `${code.slice(0, 5)}-${code.slice(5)}`
	})
}

/** The canonical form that is hashed, or null when it cannot be a backup code. */
export function normalizeBackupCode(raw: unknown): string | null {
	if (typeof raw !== 'string' || raw.length > 40) return null
	const code = raw.toLowerCase().replace(/[\s-]/g, '')
	return code.length === LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : null
}
