import nodemailer from 'nodemailer'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { migrationStatus } from '../../utils/migrate.server'
import { pingRedis, redis } from '../../utils/redis.server'

/**
 * What /operator/health shows: each part Foyer depends on, probed now, with a status and how long
 * the probe took. `ok` works, `off` is a part that is optional and not configured (the built-in
 * fallback is in use), `down` is configured but failing. Probes never throw and never show a
 * secret (connection URLs are reduced to their host).
 */
export type CheckStatus = 'ok' | 'off' | 'down'
export type HealthCheck = { name: string; status: CheckStatus; detail: string; latencyMs: number | null }

const PROBE_TIMEOUT_MS = 3_000

async function timed<T>(probe: () => Promise<T>): Promise<{ value?: T; error?: unknown; latencyMs: number }> {
	const started = performance.now()
	let timer: NodeJS.Timeout | undefined
	try {
		const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)))
		const value = await Promise.race([probe(), timeout])
		return { value, latencyMs: Math.round(performance.now() - started) }
	} catch (error) {
		return { error, latencyMs: Math.round(performance.now() - started) }
	} finally {
		clearTimeout(timer)
	}
}

function hostOf(url: string): string {
	try {
		return new URL(url).host
	} catch {
		return 'the configured server'
	}
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

async function checkDatabase(): Promise<HealthCheck[]> {
	const ping = await timed(() => db().$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`)
	const database: HealthCheck = ping.error
		? { name: 'Database', status: 'down', detail: `Query failed: ${message(ping.error)}`, latencyMs: ping.latencyMs }
		: { name: 'Database', status: 'ok', detail: 'PostgreSQL answers queries.', latencyMs: ping.latencyMs }
	const migrations = await timed(() => migrationStatus({ query: (sql) => db().$queryRawUnsafe(sql).then((rows) => ({ rows: rows as never[] })) }))
	if (migrations.error || !migrations.value) return [database, { name: 'Migrations', status: 'down', detail: `Could not read the migration history: ${message(migrations.error)}`, latencyMs: migrations.latencyMs }]
	const { pending, failed } = migrations.value
	const detail = failed.length ? `Failed: ${failed.join(', ')}` : pending.length ? `Pending: ${pending.join(', ')}` : 'Every migration is applied.'
	return [database, { name: 'Migrations', status: pending.length || failed.length ? 'down' : 'ok', detail, latencyMs: migrations.latencyMs }]
}

async function checkRedis(): Promise<HealthCheck> {
	const { env } = config()
	if (!env.REDIS_URL || !redis()) return { name: 'Redis', status: 'off', detail: 'REDIS_URL is not set: rate limits, caches and challenges stay in this process (fine for one instance).', latencyMs: null }
	const ping = await timed(() => pingRedis())
	return ping.value
		? { name: 'Redis', status: 'ok', detail: `${hostOf(env.REDIS_URL)} answers PING.`, latencyMs: ping.latencyMs }
		: { name: 'Redis', status: 'down', detail: `${hostOf(env.REDIS_URL)} does not answer: rate limits are per process until it is back.`, latencyMs: ping.latencyMs }
}

async function checkMail(): Promise<HealthCheck> {
	const { env } = config()
	if (!env.SMTP_URL) {
		const count = await timed(() => db().outboxEmail.count())
		return count.error
			? { name: 'Mail', status: 'down', detail: `Dev outbox unreadable: ${message(count.error)}`, latencyMs: count.latencyMs }
			: { name: 'Mail', status: 'off', detail: `SMTP_URL is not set: mail is kept in the dev outbox (${count.value} messages).`, latencyMs: count.latencyMs }
	}
	const transport = nodemailer.createTransport(env.SMTP_URL)
	try {
		const verify = await timed(() => transport.verify())
		return verify.error
			? { name: 'Mail', status: 'down', detail: `SMTP server ${hostOf(env.SMTP_URL)} refused or did not answer: ${message(verify.error)}`, latencyMs: verify.latencyMs }
			: { name: 'Mail', status: 'ok', detail: `SMTP server ${hostOf(env.SMTP_URL)} accepts connections.`, latencyMs: verify.latencyMs }
	} finally {
		transport.close()
	}
}

export async function platformHealth(): Promise<HealthCheck[]> {
	const [database, redisCheck, mail] = await Promise.all([checkDatabase(), checkRedis(), checkMail()])
	return [...database, redisCheck, mail]
}
