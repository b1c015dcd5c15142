import { RESOURCES, type Permissions } from '../permissions/statements'

/**
 * Whether a key works, and what it may do, decided at each use rather than once at creation.
 * Client-safe (no server imports): the lists show the same status the API acts on.
 *
 * - A user's key (`creatorKind: 'user'`) answers to the user who made it: it holds at most what
 *   their role holds now, stops while they are disabled, and dies with them. Their row going away
 *   nulls `createdById` but never turns the key into an operator's one.
 * - A CLI key (`creatorKind: 'cli'`) is the server operator's: bound to no user, it holds its
 *   statements as they are.
 */
export type ApiKeyCreatorKind = 'user' | 'cli'

export type ApiKeyStatus = 'active' | 'revoked' | 'expired' | 'creator_disabled' | 'creator_deleted'

export const API_KEY_STATUS_LABELS: Record<ApiKeyStatus, string> = {
	active: 'Active',
	revoked: 'Revoked',
	expired: 'Expired',
	creator_disabled: 'Creator disabled',
	creator_deleted: 'Creator deleted',
}

export type KeyStandingInput = {
	revokedAt: Date | null
	expiresAt: Date | null
	creatorKind: ApiKeyCreatorKind
	/** The creating user as they are now, or null when there is none (a CLI key, or a deleted user). */
	creator: { disabledAt: Date | null } | null
}

export function apiKeyStatus(key: KeyStandingInput, now = new Date()): ApiKeyStatus {
	if (key.revokedAt) return 'revoked'
	if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return 'expired'
	if (key.creatorKind === 'cli') return 'active'
	if (!key.creator) return 'creator_deleted'
	if (key.creator.disabledAt) return 'creator_disabled'
	return 'active'
}

/** The statements both hold, in statements.ts order: what a user's key may do now. */
export function heldByBoth(a: Permissions, b: Permissions): Permissions {
	const both: Record<string, string[]> = {}
	for (const resource of RESOURCES) {
		const other = (b[resource] ?? []) as readonly string[]
		const actions = ((a[resource] ?? []) as readonly string[]).filter((action) => other.includes(action))
		if (actions.length) both[resource] = actions
	}
	return both as Permissions
}
