import { z } from 'zod'

/**
 * Foyer's environment, parsed once at start. A bad value stops the process with a readable list.
 * Read from the whole `process.env` object: the server bundle replaces the literal expression
 * `process.env.NODE_ENV` at build time, so it must never be read that way here.
 */
const booleanish = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((value) => ['true', '1', 'yes'].includes(value))

const hostname = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a hostname without port')

/** An empty value (`PORT=` in a .env file) means unset, not port 0. */
const port = z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.coerce.number().int().min(0).max(65535))

/** An empty value (`SMTP_URL=` in a .env file or compose file) means unset. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional())

const urlWithScheme = (...schemes: string[]) =>
	z
		.string()
		.url()
		.refine((value) => URL.canParse(value) && schemes.includes(new URL(value).protocol.slice(0, -1)), `must start with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}`)

const envSchema = z.object({
	NODE_ENV: z.enum(['production', 'development', 'test']).optional(),
	/** @default 3000 */
	PORT: port.default(3000),
	/** Listen address. @default all interfaces */
	HOST: z.string().optional(),
	DATABASE_URL: z.string().url().optional(),
	FOYER_DATA_DIR: z.string().optional(),
	/** @default 'localhost' */
	FOYER_BASE_DOMAIN: hostname.default('localhost'),
	/** @default 'localhost' */
	FOYER_OPERATOR_HOST: hostname.default('localhost'),
	/** @default 'http' */
	FOYER_PUBLIC_SCHEME: z.enum(['http', 'https']).default('http'),
	/** @default 443 for https, else PORT */
	FOYER_PUBLIC_PORT: port.optional(),
	/** 'true' trusts one hop; a number trusts that many. @default false */
	TRUST_PROXY: z
		.string()
		.optional()
		.transform((value, ctx) => {
			if (value === undefined || value === '' || value === 'false' || value === '0') return false as const
			if (value === 'true') return 1
			const hops = Number(value)
			if (Number.isInteger(hops) && hops > 0) return hops
			ctx.addIssue({ code: 'custom', message: "must be 'true', 'false' or a hop count" })
			return z.NEVER
		}),
	FOYER_SECRET_KEY: z.string().optional(),
	FOYER_PASSWORD_PEPPER: z.string().optional(),
	FOYER_SESSION_SECRET: z.string().optional(),
	FOYER_DEMO: booleanish.optional(),
	/** Shared state (throttle counters) for more than one instance. @default in-process */
	REDIS_URL: unsetIfEmpty(urlWithScheme('redis', 'rediss')),
	/** Starts every Redis key Foyer writes, so deployments (or test runs) sharing one Redis stay apart. @default 'foyer:' */
	REDIS_KEY_PREFIX: z.string().default('foyer:'),
	/** `smtp://user:pass@host:587` or `smtps://...:465`. @default the dev outbox (stored, shown at /operator/outbox) */
	SMTP_URL: unsetIfEmpty(urlWithScheme('smtp', 'smtps')),
	/** Sender address when an org sets none. @default `no-reply@<FOYER_BASE_DOMAIN>` */
	MAIL_FROM: unsetIfEmpty(z.string().email()),
	/**
	 * Lets tenant-configured URLs (SMS gateways, and later webhooks and IdP discovery) reach private,
	 * loopback and link-local addresses. For tests and single-network installs only. @default false
	 */
	FOYER_ALLOW_PRIVATE_URLS: unsetIfEmpty(booleanish),
	/** @default 'info' */
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Env = z.infer<typeof envSchema> & {
	production: boolean
	publicPort: number
	demo: boolean
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
	const result = envSchema.safeParse(source)
	if (!result.success) {
		const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
		throw new EnvError(`Invalid environment:\n${lines.join('\n')}`)
	}
	const env = result.data
	const production = env.NODE_ENV === 'production'
	return {
		...env,
		production,
		publicPort: env.FOYER_PUBLIC_PORT ?? (env.FOYER_PUBLIC_SCHEME === 'https' ? 443 : env.PORT),
		demo: env.FOYER_DEMO ?? !production,
	}
}

export class EnvError extends Error {}

let current: Env | undefined

/** The parsed environment of this process (parsed on first use). */
export function env(): Env {
	current ??= parseEnv()
	return current
}

/** Tests and the CLI re-read the environment after changing it. */
export function resetEnv() {
	current = undefined
}
