import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

/**
 * The one throttle for secret checks (passwords now; codes and links later). Failures count per
 * account and per IP; a success clears the account's count. Limits follow OWASP ASVS 5.0 (6.3.1)
 * and NIST SP 800-63B-4: never more than 100 consecutive failures per account.
 *
 * Stores are in-process by default; with REDIS_URL they become rate-limiter-flexible's Redis
 * store behind this same interface (one process-wide instance, see configureThrottleStore).
 */
export type ThrottlePolicy = {
	/** Failures per account within the window before sign-in for it is refused. @default 10 */
	accountFailures: number
	/** Failures per IP within the window. @default 100 */
	ipFailures: number
	/** @default 900 (15 minutes) */
	windowSeconds: number
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { accountFailures: 10, ipFailures: 100, windowSeconds: 900 }

type Limiters = { account: RateLimiterAbstract; ip: RateLimiterAbstract }

function memoryLimiters(policy: ThrottlePolicy): Limiters {
	const common = { duration: policy.windowSeconds, blockDuration: policy.windowSeconds }
	return {
		account: new RateLimiterMemory({ ...common, keyPrefix: 'fail:account', points: policy.accountFailures }),
		ip: new RateLimiterMemory({ ...common, keyPrefix: 'fail:ip', points: policy.ipFailures }),
	}
}

let limiters: Limiters = memoryLimiters(DEFAULT_THROTTLE_POLICY)

export function configureThrottle(policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {
	limiters = memoryLimiters(policy)
}

export type ThrottleKey = { organizationId: string; account: string; ip: string }

const accountKey = (key: ThrottleKey) => `${key.organizationId}:${key.account}`

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Asks before checking a secret: refused attempts never reach argon2. */
export async function checkThrottle(key: ThrottleKey): Promise<ThrottleVerdict> {
	const [account, ip] = await Promise.all([limiters.account.get(accountKey(key)), limiters.ip.get(key.ip)])
	const blocked = [
		{ res: account, limit: limiters.account.points },
		{ res: ip, limit: limiters.ip.points },
	].filter(({ res, limit }) => res !== null && res.consumedPoints >= limit)
	if (blocked.length === 0) return { allowed: true }
	const retry = Math.max(...blocked.map(({ res }) => res!.msBeforeNext))
	return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retry / 1000)) }
}

export async function recordFailure(key: ThrottleKey) {
	await Promise.all([
		limiters.account.penalty(accountKey(key), 1).catch(ignoreLimit),
		limiters.ip.penalty(key.ip, 1).catch(ignoreLimit),
	])
	// A failure that reaches the limit starts the block at once.
	const [account, ip] = await Promise.all([limiters.account.get(accountKey(key)), limiters.ip.get(key.ip)])
	if (account && account.consumedPoints >= limiters.account.points) await limiters.account.block(accountKey(key), limiters.account.blockDuration)
	if (ip && ip.consumedPoints >= limiters.ip.points) await limiters.ip.block(key.ip, limiters.ip.blockDuration)
}

export async function recordSuccess(key: ThrottleKey) {
	await limiters.account.delete(accountKey(key))
}

function ignoreLimit(error: unknown) {
	if (!(error instanceof RateLimiterRes)) throw error
}

export function throttleMessage(retryAfterSeconds: number): string {
	const minutes = Math.ceil(retryAfterSeconds / 60)
	return `Too many attempts. Try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.`
}
