import fs from 'node:fs'
import path from 'node:path'
import { randomToken } from './crypto.server'

export type Secrets = {
	/** Encrypts secrets at rest (signing keys; later TOTP secrets, IdP client secrets). */
	secretKey: string
	/** HMAC key applied to every password before argon2id. */
	passwordPepper: string
	/** Signs cookies. */
	sessionSecret: string
}

const ENV_NAMES = {
	secretKey: 'FOYER_SECRET_KEY',
	passwordPepper: 'FOYER_PASSWORD_PEPPER',
	sessionSecret: 'FOYER_SESSION_SECRET',
} as const satisfies Record<keyof Secrets, string>

/**
 * Secrets come from the environment. Without them, embedded mode generates them once into
 * `<dataDir>/secrets.json` (mode 0600) so a restart keeps sessions and encrypted data valid;
 * production refuses to start rather than invent secrets nobody backs up.
 */
export function loadSecrets(options: { dataDir: string; production: boolean; source?: NodeJS.ProcessEnv }): Secrets {
	const source = options.source ?? process.env
	const fromEnv = Object.fromEntries(
		Object.entries(ENV_NAMES).map(([key, name]) => [key, source[name]?.trim() || undefined]),
	) as Partial<Secrets>

	for (const [key, name] of Object.entries(ENV_NAMES) as [keyof Secrets, string][]) {
		const value = fromEnv[key]
		if (value !== undefined && Buffer.byteLength(value) < 32) throw new Error(`${name} must be at least 32 characters of random data (openssl rand -base64 32)`)
	}

	const missing = (Object.keys(ENV_NAMES) as (keyof Secrets)[]).filter((key) => !fromEnv[key])
	if (missing.length === 0) return fromEnv as Secrets
	if (options.production) {
		throw new Error(`NODE_ENV=production requires ${missing.map((key) => ENV_NAMES[key]).join(', ')} (openssl rand -base64 32)`)
	}

	const file = path.join(options.dataDir, 'secrets.json')
	let stored: Partial<Secrets> = {}
	if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>
	let changed = false
	for (const key of missing) {
		if (!stored[key]) {
			stored[key] = randomToken(32)
			changed = true
		}
	}
	if (changed) {
		fs.mkdirSync(options.dataDir, { recursive: true })
		fs.writeFileSync(file, JSON.stringify(stored, null, '\t') + '\n', { mode: 0o600 })
	}
	return { ...stored, ...Object.fromEntries(Object.entries(fromEnv).filter(([, v]) => v)) } as Secrets
}
