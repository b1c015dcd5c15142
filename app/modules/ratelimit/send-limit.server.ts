import { consumeEach, createLimiter, limiterSet, minutesWords, type ThrottleVerdict } from './store.server'

/**
 * Limits on messages Foyer sends to an address a visitor typed (email codes and links now, SMS
 * later): without them a sign-in form is a free way to flood someone's inbox and to burn the
 * org's sender reputation. Rules:
 * - every request counts, whether or not the address has an account, so the answer never
 *   tells which addresses are registered;
 * - a request is counted against the address (per org) and against the IP, and refused when
 *   either is over its limit; refused requests count too, so hammering never earns a send;
 * - counters live in the same store as the throttle (store.server.ts), shared across instances.
 */
export type SendLimitPolicy = {
	/** Sends per org and address within the window. @default 5 */
	addressSends: number
	/** Sends requested by one IP within the window, across addresses and orgs. @default 30 */
	ipSends: number
	/** @default 3600 (an hour) */
	windowSeconds: number
}

export const DEFAULT_SEND_LIMIT_POLICY: SendLimitPolicy = { addressSends: 5, ipSends: 30, windowSeconds: 3600 }

const limiters = limiterSet(DEFAULT_SEND_LIMIT_POLICY, (policy) => ({
	address: createLimiter({ name: 'send:address', points: policy.addressSends, duration: policy.windowSeconds }),
	ip: createLimiter({ name: 'send:ip', points: policy.ipSends, duration: policy.windowSeconds }),
}))

/** With the in-process store this also starts every count afresh (tests rely on it). */
export function configureSendLimit(policy: SendLimitPolicy = DEFAULT_SEND_LIMIT_POLICY) {
	limiters.configure(policy)
}

export type SendLimitKey = { organizationId: string; address: string; ip: string }

/** Consumes one send for the address and the IP; call it before every send, before any lookup. */
export async function checkSendLimit(key: SendLimitKey): Promise<ThrottleVerdict> {
	const { address, ip } = limiters.get()
	// Addresses differing only in case or surrounding spaces reach the same inbox.
	const addressKey = `${key.organizationId}:${key.address.trim().toLowerCase()}`
	return consumeEach([
		[address, addressKey],
		[ip, key.ip],
	])
}

/** One message whichever limit refused: to the visitor both mean the same, wait before asking again. */
export function sendLimitMessage(retryAfterSeconds: number): string {
	return `Too many emails were requested for this address. Try again in ${minutesWords(retryAfterSeconds)}.`
}
