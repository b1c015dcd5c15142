import { consumeEach, createLimiter, limiterSet, minutesWords, type ThrottleVerdict } from './store.server'

/**
 * Limits on invitation emails (console, API and operator onboarding alike). Admins are trusted to
 * invite, but an invitation is mail to an inbox that never asked for it: a stolen API key or a
 * careless script must not turn an org into a spam cannon or burn its sender reputation.
 * - per org and address: 5 sends an hour, sending and resending alike, so one inbox gets at
 *   most a handful of links however often someone clicks "Resend";
 * - per org: 1,000 an hour, room for inviting a whole company in a morning.
 * Counted in the same store as the other limits (store.server.ts), shared across instances.
 */
export type InvitationLimitPolicy = {
	/** @default 5 */
	addressSends: number
	/** @default 1000 */
	orgSends: number
	/** @default 3600 (an hour) */
	windowSeconds: number
}

export const DEFAULT_INVITATION_LIMIT_POLICY: InvitationLimitPolicy = { addressSends: 5, orgSends: 1000, windowSeconds: 3600 }

const limiters = limiterSet(DEFAULT_INVITATION_LIMIT_POLICY, (policy) => ({
	address: createLimiter({ name: 'invite:address', points: policy.addressSends, duration: policy.windowSeconds }),
	org: createLimiter({ name: 'invite:org', points: policy.orgSends, duration: policy.windowSeconds }),
}))

/** With the in-process store this also starts every count afresh (tests rely on it). */
export function configureInvitationLimit(policy: InvitationLimitPolicy = DEFAULT_INVITATION_LIMIT_POLICY) {
	limiters.configure(policy)
}

/** Consumes one invitation email for the org and the address; call it before minting the link. */
export async function checkInvitationLimit(organizationId: string, address: string): Promise<ThrottleVerdict> {
	const { address: perAddress, org } = limiters.get()
	return consumeEach([
		[perAddress, `${organizationId}:${address.trim().toLowerCase()}`],
		[org, organizationId],
	])
}

export function invitationLimitMessage(retryAfterSeconds: number): string {
	return `Too many invitations were sent lately. Try again in ${minutesWords(retryAfterSeconds)}.`
}
