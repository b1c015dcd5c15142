import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from './env.server'

/** NodeJS.ProcessEnv declares NODE_ENV as required; a test environment is only the variables it sets. */
function parse(vars: Record<string, string> = {}) {
	return parseEnv(vars as NodeJS.ProcessEnv)
}

describe('parseEnv', () => {
	it('has defaults for an empty environment', () => {
		const env = parse({})
		expect(env).toMatchObject({
			PORT: 3000,
			FOYER_BASE_DOMAIN: 'localhost',
			FOYER_OPERATOR_HOST: 'localhost',
			FOYER_PUBLIC_SCHEME: 'http',
			TRUST_PROXY: false,
			LOG_LEVEL: 'info',
			production: false,
			publicPort: 3000,
			demo: true,
		})
	})

	it('uses PORT as the public port over http', () => {
		expect(parse({ PORT: '8080' })).toMatchObject({ PORT: 8080, publicPort: 8080 })
	})

	it('defaults the public port to 443 over https, whatever PORT is', () => {
		expect(parse({ FOYER_PUBLIC_SCHEME: 'https', PORT: '8080' })).toMatchObject({ PORT: 8080, publicPort: 443 })
	})

	it('takes an explicit FOYER_PUBLIC_PORT', () => {
		expect(parse({ FOYER_PUBLIC_SCHEME: 'https', FOYER_PUBLIC_PORT: '8443' }).publicPort).toBe(8443)
		expect(parse({ FOYER_PUBLIC_PORT: '80', PORT: '3000' }).publicPort).toBe(80)
	})

	it('turns demo off in production unless asked for', () => {
		expect(parse({ NODE_ENV: 'production' })).toMatchObject({ production: true, demo: false })
		expect(parse({ NODE_ENV: 'production', FOYER_DEMO: 'true' }).demo).toBe(true)
		expect(parse({ NODE_ENV: 'development' })).toMatchObject({ production: false, demo: true })
		expect(parse({ NODE_ENV: 'test', FOYER_DEMO: 'no' }).demo).toBe(false)
		expect(parse({ FOYER_DEMO: '0' }).demo).toBe(false)
		expect(parse({ FOYER_DEMO: 'yes' }).demo).toBe(true)
	})

	it('normalises host names', () => {
		expect(parse({ FOYER_BASE_DOMAIN: ' Login.Example.COM ', FOYER_OPERATOR_HOST: 'Admin.Example.com' })).toMatchObject({
			FOYER_BASE_DOMAIN: 'login.example.com',
			FOYER_OPERATOR_HOST: 'admin.example.com',
		})
	})

	it.each([
		['true', 1],
		['2', 2],
		['10', 10],
		['false', false],
		['0', false],
		['', false],
		[undefined, false],
	] as const)('reads TRUST_PROXY=%j as %j', (value, expected) => {
		expect(parse(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toBe(expected)
	})

	it.each(['maybe', '-1', '1.5', 'TRUE', 'yes'])('refuses TRUST_PROXY=%j', (value) => {
		expect(() => parse({ TRUST_PROXY: value })).toThrow(EnvError)
		expect(() => parse({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: must be 'true', 'false' or a hop count/)
	})

	it('throws an EnvError listing every bad key', () => {
		let error: unknown
		try {
			parse({ PORT: 'abc', FOYER_BASE_DOMAIN: 'bad host:1', FOYER_PUBLIC_SCHEME: 'ftp', LOG_LEVEL: 'loud' })
		} catch (caught) {
			error = caught
		}
		expect(error).toBeInstanceOf(EnvError)
		expect(error).toBeInstanceOf(Error)
		const message = (error as Error).message
		expect(message).toMatch(/^Invalid environment:\n/)
		expect(message).toMatch(/^ {2}PORT: /m)
		expect(message).toMatch(/^ {2}FOYER_BASE_DOMAIN: must be a hostname without port$/m)
		expect(message).toMatch(/^ {2}FOYER_PUBLIC_SCHEME: /m)
		expect(message).toMatch(/^ {2}LOG_LEVEL: /m)
		expect(message).not.toMatch(/FOYER_OPERATOR_HOST/)
	})

	// `PORT=` in an env file or compose file means "not set"; it must not become port 0 (a random port).
	it.each(['PORT', 'FOYER_PUBLIC_PORT'])('does not read an empty %s as port 0', (name) => {
		for (const blank of ['', ' ']) {
			let parsed: ReturnType<typeof parseEnv> | undefined
			try {
				parsed = parse({ [name]: blank })
			} catch (error) {
				expect(error).toBeInstanceOf(EnvError)
				continue
			}
			expect(parsed.PORT).toBe(3000)
			expect(parsed.publicPort).toBe(3000)
		}
	})

	it('refuses out-of-range ports and bad values', () => {
		const bads: Record<string, string>[] = [{ PORT: '70000' }, { PORT: '-1' }, { PORT: '3000.5' }, { FOYER_PUBLIC_PORT: 'x' }, { FOYER_OPERATOR_HOST: 'a..b' }, { FOYER_BASE_DOMAIN: '-acme.com' }, { NODE_ENV: 'staging' }, { FOYER_DEMO: 'maybe' }, { DATABASE_URL: 'not a url' }]
		for (const bad of bads) {
			expect(() => parse(bad), JSON.stringify(bad)).toThrow(EnvError)
		}
	})

	// Compose passes `${SMTP_URL:-}` as an empty string when the operator sets nothing.
	it.each(['SMTP_URL', 'MAIL_FROM', 'REDIS_URL'])('reads an empty %s as unset', (name) => {
		expect(parse({ [name]: '' })[name as 'SMTP_URL']).toBeUndefined()
		expect(parse({ [name]: '  ' })[name as 'SMTP_URL']).toBeUndefined()
	})

	it('refuses malformed mail and Redis settings', () => {
		const bads: Record<string, string>[] = [{ SMTP_URL: 'mail.example.com' }, { MAIL_FROM: 'not-an-address' }, { REDIS_URL: 'localhost:6379' }, { SMTP_URL: 'http://mail.example.com' }]
		for (const bad of bads) {
			expect(() => parse(bad), JSON.stringify(bad)).toThrow(EnvError)
		}
		expect(parse({ SMTP_URL: 'smtps://u:p@smtp.example.com:465', MAIL_FROM: 'no-reply@example.com' }).SMTP_URL).toBe('smtps://u:p@smtp.example.com:465')
	})
})
