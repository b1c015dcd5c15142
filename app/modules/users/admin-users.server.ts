import { type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { revokeUserGrants } from '../oidc/grants.server'
import { actRefusal, grantRefusal, type Actor, type GrantRefusal } from '../permissions/grants.server'
import { endUserSignIns } from '../sessions/end-sign-ins.server'
import { deleteSecondFactors } from './reset.server'
import { createUser, EmailTakenError } from './users.server'

/**
 * What an org admin (from /admin/users/:id) or an API key (from /api/v1/users) may do to a user.
 * Each change is one transaction that locks the user's row, checks the rules, makes the change
 * and writes its audit event.
 *
 * Rules:
 * - The user must belong to the actor's org; any other id is "not found".
 * - Who may act on whom and give which role is the one rule of permissions/grants.server.ts: only
 *   an owner acts on an owner or gives `owner`; otherwise only roles granting no more than the
 *   actor's own (a custom role with `user: update` cannot make its holder an admin).
 * - The org always keeps one enabled owner: the last one cannot be disabled, demoted or deleted,
 *   and the owners' rows are locked while this is checked, so concurrent changes cannot both pass.
 * - Admins cannot disable or delete themselves here (/account/delete is the way out).
 * - Disabling, forcing a password reset and revoking sessions end every session of the user and
 *   every grant of their apps (with the tokens under it); removing factors and deleting end the grants.
 */

type Context = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>

export type UserChange =
	| { intent: 'disable' | 'enable' | 'force-password-reset' | 'revoke-sessions' | 'remove-factors' | 'delete' }
	| { intent: 'change-role'; role: string }

export type RefusalReason = GrantRefusal | 'not_found' | 'self' | 'last_owner' | 'email_taken'

/**
 * A refusal with the HTTP status the console answers it with, a message for the admin, and the
 * reason and role concerned (the API words its own messages from them).
 */
export class UserChangeRefused extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		message: string,
		readonly reason: RefusalReason,
		readonly role?: string,
	) {
		super(message)
	}
}

export const NO_SUCH_USER = 'No such user in this organization.'

type LockedUser = { id: string; email: string; role: string; disabledAt: Date | null }

async function lockUser(tx: Tx, organizationId: string, userId: string): Promise<LockedUser> {
	const [user] = await tx.$queryRaw<LockedUser[]>`
		SELECT id, email, role, "disabledAt" FROM "User" WHERE id = ${userId} AND "organizationId" = ${organizationId} FOR UPDATE`
	if (!user) throw new UserChangeRefused(404, NO_SUCH_USER, 'not_found')
	return user
}

/**
 * True when `target` is the org's last enabled owner. Every caller is about to demote, disable,
 * delete or hand over `target` if not, so the answer must hold until its transaction ends: a
 * per-org lock, held until then, makes such changes of one org take turns (two owners demoting
 * each other at once cannot both pass). A lock rather than row locks on the owners: those, taken
 * after the target's own row, deadlock two transactions that each hold one owner.
 */
export async function isLastEnabledOwner(tx: Tx, organizationId: string, target: { id: string; role: string; disabledAt: Date | null }) {
	if (target.role !== 'owner' || target.disabledAt) return false
	await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`owners:${organizationId}`}, 0))`
	const others = await tx.user.count({ where: { organizationId, role: 'owner', disabledAt: null, id: { not: target.id } } })
	return others === 0
}

async function assertAnotherOwnerRemains(tx: Tx, organizationId: string, target: LockedUser, message: string) {
	if (await isLastEnabledOwner(tx, organizationId, target)) throw new UserChangeRefused(409, message, 'last_owner')
}

const ACT_ON_MESSAGES = {
	owner_only: 'Only an owner can change an owner’s account.',
	beyond: 'You can only change users whose role grants no more than your own.',
} as const

const GRANT_MESSAGES = {
	owner_only: 'Only an owner can make someone an owner.',
	beyond: 'You can only give a role that grants no more than your own.',
} as const

/** Throws the refusal for giving `role`, if the actor may not. */
export async function assertMayGrant(actor: Actor, role: string, client?: Tx) {
	const refusal = await grantRefusal(actor, role, client)
	if (refusal === 'unknown_role') throw new UserChangeRefused(400, `There is no role named “${role}” in this organization.`, refusal, role)
	if (refusal) throw new UserChangeRefused(403, GRANT_MESSAGES[refusal], refusal, role)
}

/**
 * Creates a user with a role the actor may give (console `Create user`, `POST /api/v1/users`).
 * Sign-up (always `member`) and the CLI (run by whoever holds the server's data) call createUser directly.
 */
export async function createUserAs(actor: Actor, input: { email: string; role: string; password?: string; name?: string }, context: Omit<Context, 'org'>): Promise<User> {
	await assertMayGrant(actor, input.role)
	try {
		return await createUser({ organizationId: actor.org.id, ...input }, { actorId: actor.id, ip: context.ip, userAgent: context.userAgent })
	} catch (error) {
		if (error instanceof EmailTakenError) throw new UserChangeRefused(409, 'A user with this email already exists in this organization.', 'email_taken')
		throw error
	}
}

const AUDIT_TYPES = {
	disable: 'user.disabled',
	enable: 'user.enabled',
	'force-password-reset': 'user.password_reset_forced',
	'revoke-sessions': 'user.sessions_revoked',
	'remove-factors': 'user.factors_removed',
	'change-role': 'user.role_changed',
	delete: 'user.deleted',
} as const satisfies Record<UserChange['intent'], string>

/** Makes one change; returns the details its audit event records, or null when there is nothing to change. */
async function changeInTx(tx: Tx, context: Context, actor: Actor, target: LockedUser, change: UserChange): Promise<Record<string, unknown> | null> {
	const organizationId = context.org.id
	const self = actor.id === target.id
	switch (change.intent) {
		case 'disable': {
			if (self) throw new UserChangeRefused(403, "You can't disable your own account.", 'self')
			if (target.disabledAt) return null
			await assertAnotherOwnerRemains(tx, organizationId, target, 'This is the only owner of the organization. Make someone else an owner before disabling them.')
			await tx.user.update({ where: { id: target.id }, data: { disabledAt: new Date() } })
			return await endUserSignIns(tx, { organizationId, userId: target.id })
		}
		case 'enable': {
			if (!target.disabledAt) return null
			await tx.user.update({ where: { id: target.id }, data: { disabledAt: null } })
			return {}
		}
		case 'force-password-reset': {
			const { count } = await tx.password.deleteMany({ where: { userId: target.id } })
			return { passwordRemoved: count > 0, ...(await endUserSignIns(tx, { organizationId, userId: target.id })) }
		}
		case 'revoke-sessions': {
			const { sessionsRevoked, grantsRevoked } = await endUserSignIns(tx, { organizationId, userId: target.id })
			return { count: sessionsRevoked, grantsRevoked }
		}
		case 'remove-factors':
			return { ...(await deleteSecondFactors(tx, organizationId, target.id)), grantsRevoked: await revokeUserGrants(tx, organizationId, target.id) }
		case 'change-role': {
			if (change.role === target.role) return null
			await assertMayGrant(actor, change.role, tx)
			await assertAnotherOwnerRemains(tx, organizationId, target, 'This is the only owner of the organization. Make someone else an owner first.')
			await tx.user.update({ where: { id: target.id }, data: { role: change.role } })
			return { from: target.role, to: change.role }
		}
		case 'delete': {
			if (self) throw new UserChangeRefused(403, "You can't delete your own account here. Use your account page instead.", 'self')
			await assertAnotherOwnerRemains(tx, organizationId, target, 'This is the only owner of the organization. Make someone else an owner before deleting them.')
			// The user's OIDC grants, and every token issued under them, go with the account.
			const grantsRevoked = await revokeUserGrants(tx, organizationId, target.id)
			await tx.user.delete({ where: { id: target.id } })
			return { by: actor.kind === 'apiKey' ? 'api_key' : 'admin', grantsRevoked }
		}
	}
}

/**
 * Applies an admin's (or API key's) changes to a user of the org, in order and in one transaction:
 * all of them or none. Returns whether anything changed (disabling a disabled user changes nothing
 * and records nothing) and the user's email (for follow-up mail). Throws UserChangeRefused for
 * anything the rules forbid.
 */
export async function changeUser(context: Context, actor: Actor, userId: string, changes: UserChange | readonly UserChange[]): Promise<{ changed: boolean; email: string }> {
	return db().$transaction(async (tx) => {
		let target = await lockUser(tx, context.org.id, userId)
		// Acting on oneself is judged by each change (nobody raises their own role past their own).
		const refusal = actor.id === target.id ? null : await actRefusal(actor, target.role, tx)
		if (refusal) throw new UserChangeRefused(403, ACT_ON_MESSAGES[refusal], refusal, target.role)
		let changed = false
		for (const change of ([] as UserChange[]).concat(changes)) {
			const details = await changeInTx(tx, context, actor, target, change)
			if (details === null) continue
			changed = true
			await recordAuditEvent(tx, {
				organizationId: context.org.id,
				type: AUDIT_TYPES[change.intent],
				actorId: actor.id,
				targetType: 'user',
				targetId: target.id,
				ip: context.ip,
				userAgent: context.userAgent,
				data: { email: target.email, ...details },
			})
			if (change.intent === 'delete') break
			target = await lockUser(tx, context.org.id, userId)
		}
		return { changed, email: target.email }
	})
}
