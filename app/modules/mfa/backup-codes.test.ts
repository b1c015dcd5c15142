import { describe, expect, it } from 'vitest'
import { BACKUP_CODE_COUNT, newBackupCodes, normalizeBackupCode } from './backup-codes'

describe('backup codes', () => {
	it('come ten at a time as xxxxx-xxxxx, all different, no look-alike characters', () => {
		const codes = newBackupCodes()
		expect(codes).toHaveLength(BACKUP_CODE_COUNT)
		expect(new Set(codes).size).toBe(BACKUP_CODE_COUNT)
		for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/)
	})

	it('are read forgivingly: case, spaces and dashes do not matter', () => {
		const [code] = newBackupCodes(1)
		const plain = code!.replace('-', '')
		expect(normalizeBackupCode(code)).toBe(plain)
		expect(normalizeBackupCode(code!.toUpperCase())).toBe(plain)
		expect(normalizeBackupCode(` ${plain.slice(0, 3)} ${plain.slice(3)} `)).toBe(plain)
	})

	it('refuses what cannot be one', () => {
		for (const bad of ['', 'abcde', 'abcde-abcde-a', 'abcde-abcd1', 'abcde-abcdo', null, 42, 'x'.repeat(100)]) expect(normalizeBackupCode(bad), String(bad)).toBeNull()
	})
})
