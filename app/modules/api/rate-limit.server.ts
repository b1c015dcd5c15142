import { type RateLimiterRes } from 'rate-limiter-flexible'
import { createLimiter, limiterSet, retryAfterSeconds } from '../ratelimit/store.server'
import { ApiError } from './errors'

/**
 * Limits of the Management API, on the process's one limiter store (Redis when configured).
 * Keys are 256-bit, so failures per IP are not about guessing one: they stop a client hammering
 * the key lookup with junk. Requests per key keep one runaway script from crowding out an org.
 */
export type ApiRatePolicy = {
	/** Requests without a valid key, per IP and window. @default 100 per 15 minutes */
	ipFailures: number
	failureWindowSeconds: number
	/** Requests per key and minute. @default 1200 */
	keyRequestsPerMinute: number
}

export const DEFAULT_API_RATE_POLICY: ApiRatePolicy = { ipFailures: 100, failureWindowSeconds: 900, keyRequestsPerMinute: 1200 }

const limiters = limiterSet(DEFAULT_API_RATE_POLICY, (policy) => ({
	failures: createLimiter({ name: 'api-auth-fail', points: policy.ipFailures, duration: policy.failureWindowSeconds }),
	requests: createLimiter({ name: 'api-key', points: policy.keyRequestsPerMinute, duration: 60 }),
}))

function rateLimited(rejection: RateLimiterRes) {
	const seconds = retryAfterSeconds(rejection.msBeforeNext)
	return new ApiError('rate_limited', `Too many requests. Try again in ${seconds} seconds (Retry-After).`, undefined, 429, { 'retry-after': String(seconds) })
}

function isRejection(error: unknown): error is RateLimiterRes {
	return typeof error === 'object' && error !== null && 'msBeforeNext' in error
}

/** 429 once this IP has used up its failures; checked before any key lookup. */
export async function assertIpNotBlocked(ip: string) {
	const state = await limiters.get().failures.get(ip)
	if (state && state.remainingPoints <= 0 && state.msBeforeNext > 0) throw rateLimited(state)
}

export async function recordAuthFailure(ip: string) {
	try {
		await limiters.get().failures.consume(ip)
	} catch (error) {
		if (!isRejection(error)) throw error
	}
}

/** Counts one request of the key; 429 beyond its per-minute budget. */
export async function consumeKeyRequest(keyId: string) {
	try {
		await limiters.get().requests.consume(keyId)
	} catch (error) {
		if (isRejection(error)) throw rateLimited(error)
		throw error
	}
}
