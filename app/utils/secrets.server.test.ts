import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadSecrets } from './secrets.server'

const STRONG_A = 'a'.repeat(16) + 'B'.repeat(16) + '-env-secret-key'
const STRONG_B = 'pepper-from-the-environment-0123456789'
const STRONG_C = 'session-secret-from-the-environment-xyz'

let dataDir: string

beforeEach(() => {
	dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-secrets-')), 'data')
})

afterEach(() => {
	fs.rmSync(path.dirname(dataDir), { recursive: true, force: true })
})

/** NodeJS.ProcessEnv declares NODE_ENV as required; a test environment is only the variables it sets. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv

const file = () => path.join(dataDir, 'secrets.json')

describe('loadSecrets', () => {
	it('generates secrets once into <dataDir>/secrets.json with mode 0600', () => {
		const first = loadSecrets({ dataDir, production: false, source: env({}) })
		expect(Object.keys(first).sort()).toEqual(['passwordPepper', 'secretKey', 'sessionSecret'])
		for (const value of Object.values(first)) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/)
		expect(new Set(Object.values(first)).size).toBe(3)

		expect(fs.existsSync(file())).toBe(true)
		if (process.platform !== 'win32') expect(fs.statSync(file()).mode & 0o777).toBe(0o600)
		expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual(first)

		const before = fs.readFileSync(file(), 'utf8')
		const second = loadSecrets({ dataDir, production: false, source: env({}) })
		expect(second).toEqual(first)
		expect(fs.readFileSync(file(), 'utf8')).toBe(before)
	})

	it('treats blank env values as missing', () => {
		const secrets = loadSecrets({ dataDir, production: false, source: env({ FOYER_SECRET_KEY: '   ', FOYER_PASSWORD_PEPPER: '' }) })
		expect(secrets.secretKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
		expect(secrets.passwordPepper).toMatch(/^[A-Za-z0-9_-]{43}$/)
	})

	it('lets env values win over the file', () => {
		const generated = loadSecrets({ dataDir, production: false, source: env({}) })
		const secrets = loadSecrets({ dataDir, production: false, source: env({ FOYER_SECRET_KEY: STRONG_A, FOYER_SESSION_SECRET: `  ${STRONG_C}  ` }) })
		expect(secrets).toEqual({ secretKey: STRONG_A, passwordPepper: generated.passwordPepper, sessionSecret: STRONG_C })
		// The file keeps its own values; env values are never written to disk.
		expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual(generated)
	})

	it('writes only the missing secrets when some come from the env', () => {
		const secrets = loadSecrets({ dataDir, production: false, source: env({ FOYER_PASSWORD_PEPPER: STRONG_B }) })
		expect(secrets.passwordPepper).toBe(STRONG_B)
		const stored = JSON.parse(fs.readFileSync(file(), 'utf8')) as Record<string, string>
		expect(Object.keys(stored).sort()).toEqual(['secretKey', 'sessionSecret'])
		expect(stored).toEqual({ secretKey: secrets.secretKey, sessionSecret: secrets.sessionSecret })
		expect(JSON.stringify(stored)).not.toContain(STRONG_B)
	})

	it('uses the env alone, without a file, when every secret is set', () => {
		const source = env({ FOYER_SECRET_KEY: STRONG_A, FOYER_PASSWORD_PEPPER: STRONG_B, FOYER_SESSION_SECRET: STRONG_C })
		expect(loadSecrets({ dataDir, production: true, source })).toEqual({ secretKey: STRONG_A, passwordPepper: STRONG_B, sessionSecret: STRONG_C })
		expect(loadSecrets({ dataDir, production: false, source })).toEqual({ secretKey: STRONG_A, passwordPepper: STRONG_B, sessionSecret: STRONG_C })
		expect(fs.existsSync(file())).toBe(false)
	})

	it('throws in production without env secrets, naming the missing variables', () => {
		expect(() => loadSecrets({ dataDir, production: true, source: env({}) })).toThrow(/FOYER_SECRET_KEY, FOYER_PASSWORD_PEPPER, FOYER_SESSION_SECRET/)
		let message = ''
		try {
			loadSecrets({ dataDir, production: true, source: env({ FOYER_PASSWORD_PEPPER: STRONG_B }) })
		} catch (error) {
			message = (error as Error).message
		}
		expect(message).toMatch(/NODE_ENV=production requires/)
		expect(message).toContain('FOYER_SECRET_KEY')
		expect(message).toContain('FOYER_SESSION_SECRET')
		expect(message).not.toContain('FOYER_PASSWORD_PEPPER')
		expect(fs.existsSync(file())).toBe(false)
	})

	it('throws in production even when a generated file exists', () => {
		loadSecrets({ dataDir, production: false, source: env({}) })
		expect(() => loadSecrets({ dataDir, production: true, source: env({}) })).toThrow(/NODE_ENV=production requires/)
	})

	it('throws on a too-short env secret, naming it', () => {
		expect(() => loadSecrets({ dataDir, production: false, source: env({ FOYER_SESSION_SECRET: 'short' }) })).toThrow(/FOYER_SESSION_SECRET must be at least 32 characters/)
		expect(() => loadSecrets({ dataDir, production: true, source: env({ FOYER_SECRET_KEY: 'x'.repeat(31), FOYER_PASSWORD_PEPPER: STRONG_B, FOYER_SESSION_SECRET: STRONG_C }) })).toThrow(/FOYER_SECRET_KEY/)
		expect(loadSecrets({ dataDir, production: false, source: env({ FOYER_SECRET_KEY: 'x'.repeat(32) }) }).secretKey).toBe('x'.repeat(32))
	})
})
