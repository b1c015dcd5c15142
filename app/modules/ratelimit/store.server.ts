import { type Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/**
 * Where every limiter of the process keeps its counters, and the one way to build a limiter.
 * In-process by default; Redis (REDIS_URL, set up by server/boot.server.ts) when more than one
 * instance serves the same orgs, since per-process counts would multiply every limit by the
 * number of instances.
 *
 * When Redis fails, each limiter falls back to an in-process insurance limiter with the same
 * policy (fail open to per-process limits), never to no limit and never to refusing everyone.
 * Failing closed would turn a Redis outage into a sign-in outage for every org, which is what
 * an attacker who can exhaust Redis would want; failing fully open would drop brute-force
 * protection. Per-process limits keep both: each instance still enforces the policy, so the
 * worst case is the limit times the number of instances, for as long as the outage lasts. This is
 * the insurance strategy rate-limiter-flexible recommends. Counts made during the outage are not
 * copied back to Redis when it returns.
 *
 * @see https://github.com/animir/node-rate-limiter-flexible/wiki/Options#insurancelimiter
 */
export type ThrottleStoreConfig = {
	/** null keeps counters in-process. */
	redis: Redis | null
	/** Prepended to every Redis key, so deployments sharing one Redis stay apart. @default 'foyer:' */
	keyPrefix?: string
}

/** A limiter's answer: go ahead, or wait this long. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

export const DEFAULT_KEY_PREFIX = 'foyer:'

let store: { redis: Redis | null; keyPrefix: string } = { redis: null, keyPrefix: DEFAULT_KEY_PREFIX }
// Bumped on every change, so limiter sets (below) rebuild on their next use.
let generation = 0

/** Switches every limiter of the process (throttle, send limits) to this store. */
export function configureThrottleStore(config: ThrottleStoreConfig) {
	store = { redis: config.redis, keyPrefix: config.keyPrefix ?? DEFAULT_KEY_PREFIX }
	generation++
}

export type LimiterOptions = {
	/** Names the limiter's keys: `<keyPrefix><name>:<key>` in Redis. */
	name: string
	points: number
	duration: number
	/** Seconds a key stays refused once its points are used. @default 0 (until the window ends) */
	blockDuration?: number
}

/** A limiter on the current store. */
export function createLimiter(options: LimiterOptions): RateLimiterAbstract {
	const { name, ...policy } = options
	const keyPrefix = `${store.keyPrefix}${name}`
	const memory = new RateLimiterMemory({ ...policy, keyPrefix })
	if (!store.redis) return memory
	return new RateLimiterRedis({ ...policy, keyPrefix, storeClient: store.redis, insuranceLimiter: memory })
}

/**
 * The limiters a module builds from its policy, rebuilt after its policy or the store changes.
 * With the memory store a rebuild starts every count afresh; Redis keeps its counts.
 */
export function limiterSet<Policy, Limiters>(defaults: Policy, build: (policy: Policy) => Limiters) {
	let policy = defaults
	let built: { generation: number; limiters: Limiters } | undefined
	return {
		configure(next: Policy = defaults) {
			policy = next
			built = undefined
		},
		get(): Limiters {
			if (built?.generation !== generation) built = { generation, limiters: build(policy) }
			return built.limiters
		},
	}
}

/**
 * Consumes one point from each limiter for its key; refused when any of them refuses, with the
 * longest wait. Every limiter counts even when another refuses, so hammering never earns a pass.
 */
export async function consumeEach(pairs: [RateLimiterAbstract, string][]): Promise<ThrottleVerdict> {
	const results = await Promise.allSettled(pairs.map(([limiter, key]) => limiter.consume(key, 1)))
	const refused: RateLimiterRes[] = []
	for (const result of results) {
		if (result.status === 'fulfilled') continue
		// Anything but a refusal is a fault (the Redis store falls back to memory, so not Redis).
		if (!(result.reason instanceof RateLimiterRes)) throw result.reason
		refused.push(result.reason)
	}
	if (refused.length === 0) return { allowed: true }
	return { allowed: false, retryAfterSeconds: retryAfterSeconds(Math.max(...refused.map((res) => res.msBeforeNext))) }
}

/** Whole seconds, at least 1: a Retry-After of 0 would invite an immediate retry. */
export function retryAfterSeconds(msBeforeNext: number) {
	return Math.max(1, Math.ceil(msBeforeNext / 1000))
}

/** "a minute" / "N minutes", for messages that say when to try again. */
export function minutesWords(retryAfterSeconds: number) {
	const minutes = Math.ceil(retryAfterSeconds / 60)
	return minutes === 1 ? 'a minute' : `${minutes} minutes`
}
