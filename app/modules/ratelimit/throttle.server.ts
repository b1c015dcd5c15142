import { createLimiter, limiterSet, minutesWords, retryAfterSeconds } from './store.server'

export { configureThrottleStore, type ThrottleStoreConfig } from './store.server'

/**
 * The one throttle for secret checks: passwords, email codes and links, and (as they arrive)
 * TOTP, backup codes, SMS codes and passkeys all ask it first and report to it after. Failures
 * count per account and per IP, whatever the secret, so switching method never buys more
 * guesses; a success clears the account's count. Limits follow OWASP ASVS 5.0 (6.3.1) and
 * NIST SP 800-63B-4: never more than 100 consecutive failures per account.
 *
 * Counters live in the process's store (store.server.ts): in-process by default, Redis with
 * REDIS_URL so every instance counts against the same limits.
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

const limiters = limiterSet(DEFAULT_THROTTLE_POLICY, (policy) => {
	const common = { duration: policy.windowSeconds, blockDuration: policy.windowSeconds }
	return {
		account: createLimiter({ ...common, name: 'fail:account', points: policy.accountFailures }),
		ip: createLimiter({ ...common, name: 'fail:ip', points: policy.ipFailures }),
	}
})

/** With the in-process store this also starts every count afresh (tests rely on it). */
export function configureThrottle(policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {
	limiters.configure(policy)
}

export type ThrottleKey = { organizationId: string; account: string; ip: string }

const accountKey = (key: ThrottleKey) => `${key.organizationId}:${key.account}`

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Asks before checking a secret: refused attempts never reach argon2. */
export async function checkThrottle(key: ThrottleKey): Promise<ThrottleVerdict> {
	const { account, ip } = limiters.get()
	const [accountRes, ipRes] = await Promise.all([account.get(accountKey(key)), ip.get(key.ip)])
	const blocked = [
		{ res: accountRes, limit: account.points },
		{ res: ipRes, limit: ip.points },
	].filter(({ res, limit }) => res !== null && res.consumedPoints >= limit)
	if (blocked.length === 0) return { allowed: true }
	return { allowed: false, retryAfterSeconds: retryAfterSeconds(Math.max(...blocked.map(({ res }) => res!.msBeforeNext))) }
}

export async function recordFailure(key: ThrottleKey) {
	const { account, ip } = limiters.get()
	const [accountRes, ipRes] = await Promise.all([account.penalty(accountKey(key), 1), ip.penalty(key.ip, 1)])
	// A failure that reaches the limit starts the block at once, for the whole window from now.
	await Promise.all([
		accountRes.consumedPoints >= account.points && account.block(accountKey(key), account.blockDuration),
		ipRes.consumedPoints >= ip.points && ip.block(key.ip, ip.blockDuration),
	])
}

export async function recordSuccess(key: ThrottleKey) {
	await limiters.get().account.delete(accountKey(key))
}

export function throttleMessage(retryAfterSeconds: number): string {
	return `Too many attempts. Try again in ${minutesWords(retryAfterSeconds)}.`
}
