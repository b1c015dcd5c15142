import { Redis } from 'ioredis'
import { logger } from './logger.server'

/**
 * The process's one Redis client (REDIS_URL), for state shared between instances: throttle and
 * send-limit counters today. Redis is optional and never fatal:
 * - commands fail at once while it is unreachable (no offline queue, as rate-limiter-flexible
 *   advises): a queued rate-limit check would hold a sign-in until Redis returns, whereas a
 *   failed one falls back to the in-process insurance limiter (modules/ratelimit/store.server.ts);
 * - a command that hangs on a half-open connection gives up after COMMAND_TIMEOUT_MS, for the
 *   same reason;
 * - connection errors are logged, once per outage, and the client keeps reconnecting.
 *
 * @see https://github.com/animir/node-rate-limiter-flexible/wiki/Redis
 */
let client: Redis | null = null

const COMMAND_TIMEOUT_MS = 1_000
/** How long boot waits for the first connection before serving with in-process limits. */
const READY_TIMEOUT_MS = 5_000

/**
 * Connects (once per process) and resolves when Redis is ready or READY_TIMEOUT_MS has passed,
 * so the first requests already share counters; it never rejects.
 */
export async function connectRedis(url: string, options: { readyTimeoutMs?: number } = {}): Promise<Redis> {
	if (client) return client
	// The URL may carry a password: logs name the host only.
	const host = new URL(url).host
	const redis = new Redis(url, {
		lazyConnect: false,
		enableOfflineQueue: false,
		commandTimeout: COMMAND_TIMEOUT_MS,
		connectTimeout: READY_TIMEOUT_MS,
		maxRetriesPerRequest: 1,
	})
	let failing = false
	redis.on('error', (error: Error) => {
		// ioredis emits every failed reconnect (every ~2 s while down); one line per outage is enough.
		if (failing) return logger.debug({ err: error, redis: host }, 'redis still unreachable')
		failing = true
		logger.warn({ err: error, redis: host }, 'redis unreachable: rate limits are per process until it is back')
	})
	redis.on('ready', () => {
		if (failing) logger.warn({ redis: host }, 'redis reachable again: rate limits are shared again')
		else logger.info({ redis: host }, 'redis connected')
		failing = false
	})
	client = redis
	await waitUntilReady(redis, options.readyTimeoutMs ?? READY_TIMEOUT_MS)
	return redis
}

function waitUntilReady(redis: Redis, timeoutMs: number) {
	if (redis.status === 'ready') return Promise.resolve()
	return new Promise<void>((resolve) => {
		const done = () => {
			clearTimeout(timer)
			redis.off('ready', done)
			resolve()
		}
		const timer = setTimeout(done, timeoutMs)
		redis.once('ready', done)
	})
}

/** The client, or null when REDIS_URL is not set (state stays in-process). */
export function redis(): Redis | null {
	return client
}

export async function disconnectRedis() {
	const current = client
	client = null
	if (!current) return
	// QUIT lets replies in flight arrive; while not connected there is nothing to wait for.
	if (current.status !== 'ready') return current.disconnect()
	await current.quit().catch(() => current.disconnect())
}

/** For /readyz: true when Redis answers PING within the command timeout. */
export async function pingRedis(): Promise<boolean> {
	if (!client) return false
	try {
		return (await client.ping()) === 'PONG'
	} catch {
		return false
	}
}
