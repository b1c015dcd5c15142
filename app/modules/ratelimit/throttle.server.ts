import { type RequestContext } from '../../context'
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { recordAuditEventNow } from '../audit/audit.server'
import { createLimiter, limiterSet, minutesWords, retryAfterSeconds } from './store.server'

export { configureThrottleStore, type ThrottleStoreConfig } from './store.server'

/**
 * The one throttle for secret checks: passwords, email codes and links, TOTP, backup codes, SMS
 * codes and passkeys all go through withSecretThrottle. Failures count per account and per IP,
 * whatever the secret, so switching method never buys more guesses; a pending sign-in (password
 * done, second factor to come) also has a small cap of its own. Limits follow OWASP ASVS 5.0
 * (6.3.1) and NIST SP 800-63B-4: never more than 100 consecutive failures per account.
 *
 * A point is taken *before* the secret is checked and given back when it was right: taking is
 * one atomic increment (in Redis and in-process alike), so a thousand parallel guesses cannot all
 * pass a read that happened before any of them failed. Counters live in the process's store
 * (store.server.ts): in-process by default, Redis with REDIS_URL so every instance counts against
 * the same limits.
 */
export type ThrottlePolicy = {
	/** Failures per account within the window before checks for it are refused. @default 10 */
	accountFailures: number
	/** Failures per IP within the window. @default 100 */
	ipFailures: number
	/** @default 900 (15 minutes) */
	windowSeconds: number
	/** Wrong second factors one pending sign-in may take before it is void (sign in again). @default 5 */
	attemptFailures: number
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { accountFailures: 10, ipFailures: 100, windowSeconds: 900, attemptFailures: 5 }

const limiters = limiterSet(DEFAULT_THROTTLE_POLICY, (policy) => {
	const common = { duration: policy.windowSeconds, blockDuration: policy.windowSeconds }
	return {
		account: createLimiter({ ...common, name: 'fail:account', points: policy.accountFailures }),
		ip: createLimiter({ ...common, name: 'fail:ip', points: policy.ipFailures }),
		attempt: createLimiter({ ...common, name: 'fail:attempt', points: policy.attemptFailures }),
	}
})

/** With the in-process store this also starts every count afresh (tests rely on it). */
export function configureThrottle(policy: Partial<ThrottlePolicy> = {}) {
	limiters.configure({ ...DEFAULT_THROTTLE_POLICY, ...policy })
}

/** An audit event for a wrong secret; the wrapper adds the reason to its data. */
export type FailureAudit = { type: string; actorId?: string | null; targetType?: string | null; targetId?: string | null; data?: Record<string, unknown> }

/**
 * What a secret check found. `clears: false` for a right secret that finishes nothing yet (a
 * password with a second factor to come) or proves nothing about the account (confirming a factor
 * the user is setting up): the account's failures stand.
 */
export type SecretCheck<T> = { ok: true; value: T; clears?: boolean } | { ok: false; reason: string; audit?: Partial<FailureAudit> }

export type Throttled<T> =
	| { ok: true; value: T }
	| { ok: false; status: 400; reason: string }
	/** `attempts`: the pending sign-in used up its own cap; it must start again. */
	| { ok: false; status: 429; reason: 'throttled' | 'attempts'; message: string; retryAfterSeconds: number }

export type SecretGuard = {
	/** Whose secret: an email, or `<kind>:<ip>` when no account is known (an unknown link). */
	account: string
	/** A pending sign-in's id: its failures are capped on their own too. */
	attempt?: string
	/** Written (outside any transaction) when the secret is wrong. */
	failure: FailureAudit
}

export type ThrottleKey = { organizationId: string; account: string; ip: string; attempt?: string }

/** How a taken attempt ended: a wrong secret keeps its point; a right one gives it back, and `right-clears` also clears the account's count. */
export type AttemptEnd = 'wrong' | 'right' | 'right-clears' | 'void'

export type Attempt = { ok: true; end(how: AttemptEnd): Promise<void> } | { ok: false; scope: 'account' | 'ip' | 'attempt'; retryAfterSeconds: number }

type Taken = { limiter: RateLimiterAbstract; key: string; scope: 'account' | 'ip' | 'attempt' }

/**
 * Takes one point from the account's, the IP's and (when given) the pending sign-in's limiter, as
 * one atomic increment each. Refused (and nothing counted) when any is over its limit; otherwise
 * the caller checks the secret and ends the attempt. withSecretThrottle is the way to use this.
 */
export async function takeAttempt(key: ThrottleKey): Promise<Attempt> {
	const { account, ip, attempt } = limiters.get()
	const taken: Taken[] = [
		{ limiter: account, key: `${key.organizationId}:${key.account}`, scope: 'account' },
		{ limiter: ip, key: key.ip, scope: 'ip' },
		...(key.attempt ? [{ limiter: attempt, key: `${key.organizationId}:${key.attempt}`, scope: 'attempt' as const }] : []),
	]
	// All are taken even when one refuses, so hammering never earns a pass.
	const results = await Promise.allSettled(taken.map(({ limiter, key }) => limiter.consume(key, 1)))
	const refused: { scope: Taken['scope']; msBeforeNext: number }[] = []
	for (const [index, result] of results.entries()) {
		if (result.status === 'fulfilled') continue
		// Anything but a refusal is a fault (the Redis store falls back to memory, so not Redis).
		if (!(result.reason instanceof RateLimiterRes)) throw result.reason
		refused.push({ scope: taken[index]!.scope, msBeforeNext: result.reason.msBeforeNext })
	}
	if (refused.length) {
		// A refused request checks no secret, so it is no failure: the points it did take go back.
		await giveBack(taken.filter((_, index) => results[index]!.status === 'fulfilled'))
		// The pending sign-in's own cap is named first: the page then starts the sign-in over.
		const scope = refused.some((entry) => entry.scope === 'attempt') ? 'attempt' : refused[0]!.scope
		return { ok: false, scope, retryAfterSeconds: retryAfterSeconds(Math.max(...refused.map((entry) => entry.msBeforeNext))) }
	}
	return {
		ok: true,
		end: async (how) => {
			if (how === 'wrong') return
			if (how === 'right-clears') await Promise.all([giveBack(taken.slice(1)), account.delete(taken[0]!.key)])
			else await giveBack(taken)
		},
	}
}

async function giveBack(taken: Taken[]) {
	await Promise.all(taken.map(({ limiter, key }) => limiter.reward(key, 1)))
}

/**
 * Checks a secret under the throttle: refuses at once (429, no check run) when the account, the
 * IP or the pending sign-in is over its limit; otherwise runs `check`, keeps the point on a wrong
 * secret (and audits it), gives it back on a right one, and clears the account's count when the
 * right secret finishes a sign-in (`clears`, the default).
 */
export async function withSecretThrottle<T>(
	context: Pick<RequestContext, 'org' | 'ip' | 'userAgent'>,
	guard: SecretGuard,
	check: () => Promise<SecretCheck<T>>,
): Promise<Throttled<T>> {
	const attempt = await takeAttempt({ organizationId: context.org.id, account: guard.account, ip: context.ip, attempt: guard.attempt })
	if (!attempt.ok) {
		return { ok: false, status: 429, reason: attempt.scope === 'attempt' ? 'attempts' : 'throttled', message: throttleMessage(attempt.retryAfterSeconds), retryAfterSeconds: attempt.retryAfterSeconds }
	}
	let outcome: SecretCheck<T>
	try {
		outcome = await check()
	} catch (error) {
		// A fault is nobody's guess: give the point back before the 500.
		await attempt.end('void')
		throw error
	}
	if (!outcome.ok) {
		await attempt.end('wrong')
		const audit = { ...guard.failure, ...outcome.audit }
		await recordAuditEventNow({ organizationId: context.org.id, ip: context.ip, userAgent: context.userAgent, ...audit, data: { ...audit.data, reason: outcome.reason } })
		return { ok: false, status: 400, reason: outcome.reason }
	}
	await attempt.end(outcome.clears === false ? 'right' : 'right-clears')
	return { ok: true, value: outcome.value }
}

export function throttleMessage(retryAfterSeconds: number): string {
	return `Too many attempts. Try again in ${minutesWords(retryAfterSeconds)}.`
}
