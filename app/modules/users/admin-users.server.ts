import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { revokeUserGrants } from '../oidc/grants.server'
import { permissionsOf } from '../permissions/guard.server'
import { BUILT_IN_ROLE_NAMES, hasPermission, type Permissions } from '../permissions/statements'
import { endUserSignIns } from '../sessions/end-sign-ins.server'

/**
 * What an org admin may do to a user from /admin/users/:id. Each change is one transaction that
 * locks the user's row, checks the rules, makes the change and writes its audit event.
 *
 * Rules:
 * - The user must belong to the actor's org; any other id is "not found".
 * - Only an owner may act on an owner, and only an owner may grant or take away `owner`. More
 *   generally, someone who is not an owner acts only on users whose role grants no more than
 *   their own, and gives only such roles: a custom role with `user: update` cannot make its
 *   holder an admin.
 * - The org always keeps one enabled owner: the last one cannot be disabled, demoted or deleted.
 * - Admins cannot disable or delete themselves here (/account/delete is the way out).
 * - Disabling, forcing a password reset and revoking sessions end every session of the user and
 *   every grant of their apps (with the tokens under it); removing factors and deleting end the grants.
 */

export type Actor = { id: string; role: string; permissions: Permissions }
type Context = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>

export type UserChange =
	| { intent: 'disable' | 'enable' | 'force-password-reset' | 'revoke-sessions' | 'remove-factors' | 'delete' }
	| { intent: 'change-role'; role: string }

/** A refusal with the HTTP status the console answers it with and a message for the admin. */
export class UserChangeRefused extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		message: string,
	) {
		super(message)
	}
}

export const NO_SUCH_USER = 'No such user in this organization.'

type LockedUser = { id: string; email: string; role: string; disabledAt: Date | null }

async function lockUser(tx: Tx, organizationId: string, userId: string): Promise<LockedUser> {
	const [user] = await tx.$queryRaw<LockedUser[]>`
		SELECT id, email, role, "disabledAt" FROM "User" WHERE id = ${userId} AND "organizationId" = ${organizationId} FOR UPDATE`
	if (!user) throw new UserChangeRefused(404, NO_SUCH_USER)
	return user
}

/**
 * Refuses when `target` is the org's last enabled owner. The other owners' rows are locked too, so
 * two owners demoting each other at once cannot both succeed.
 */
async function assertAnotherOwnerRemains(tx: Tx, organizationId: string, target: LockedUser, message: string) {
	if (target.role !== 'owner' || target.disabledAt) return
	const others = await tx.$queryRaw<{ id: string }[]>`
		SELECT id FROM "User" WHERE "organizationId" = ${organizationId} AND role = 'owner' AND "disabledAt" IS NULL AND id <> ${target.id} FOR UPDATE`
	if (others.length === 0) throw new UserChangeRefused(409, message)
}

/** Whether the actor's own role covers everything `roleName` grants (owners cover every role). */
export async function actorCovers(organizationId: string, actor: Actor, roleName: string): Promise<boolean> {
	if (actor.role === 'owner') return true
	if (roleName === 'owner') return false
	return hasPermission(actor.permissions, await permissionsOf(organizationId, roleName))
}

/** The roles this actor may give: built-ins and the org's custom roles that grant no more than the actor's own. */
export async function assignableRoles(organizationId: string, actor: Actor): Promise<string[]> {
	const custom = await db().role.findMany({ where: { organizationId }, select: { name: true }, orderBy: { name: 'asc' } })
	const names = [...BUILT_IN_ROLE_NAMES.slice().reverse(), ...custom.map((role) => role.name)]
	const covered = await Promise.all(names.map((name) => actorCovers(organizationId, actor, name)))
	return names.filter((_, index) => covered[index])
}

async function roleExists(tx: Tx, organizationId: string, role: string) {
	if ((BUILT_IN_ROLE_NAMES as string[]).includes(role)) return true
	return (await tx.role.count({ where: { organizationId, name: role } })) > 0
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
			if (self) throw new UserChangeRefused(403, "You can't disable your own account.")
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
		case 'remove-factors': {
			const where = { userId: target.id, organizationId }
			const [totp, passkeys, phone, backupCodes] = [
				await tx.totpFactor.deleteMany({ where }),
				await tx.passkey.deleteMany({ where }),
				await tx.phoneFactor.deleteMany({ where }),
				await tx.backupCode.deleteMany({ where }),
			]
			return { totp: totp.count, passkeys: passkeys.count, phone: phone.count, backupCodes: backupCodes.count, grantsRevoked: await revokeUserGrants(tx, organizationId, target.id) }
		}
		case 'change-role': {
			if (change.role === target.role) return null
			if (change.role === 'owner' && actor.role !== 'owner') throw new UserChangeRefused(403, 'Only an owner can make someone an owner.')
			if (!(await roleExists(tx, organizationId, change.role))) throw new UserChangeRefused(400, `There is no role named “${change.role}” in this organization.`)
			if (!(await actorCovers(organizationId, actor, change.role))) throw new UserChangeRefused(403, 'You can only give a role that grants no more than your own.')
			await assertAnotherOwnerRemains(tx, organizationId, target, 'This is the only owner of the organization. Make someone else an owner first.')
			await tx.user.update({ where: { id: target.id }, data: { role: change.role } })
			return { from: target.role, to: change.role }
		}
		case 'delete': {
			if (self) throw new UserChangeRefused(403, "You can't delete your own account here. Use your account page instead.")
			await assertAnotherOwnerRemains(tx, organizationId, target, 'This is the only owner of the organization. Make someone else an owner before deleting them.')
			// The user's OIDC grants, and every token issued under them, go with the account.
			const grantsRevoked = await revokeUserGrants(tx, organizationId, target.id)
			await tx.user.delete({ where: { id: target.id } })
			return { by: 'admin', grantsRevoked }
		}
	}
}

/**
 * Applies an admin's change to a user of the org. Returns whether anything changed (disabling a
 * disabled user changes nothing and records nothing) and the user's email (for follow-up mail).
 * Throws UserChangeRefused for anything the rules forbid.
 */
export async function changeUser(context: Context, actor: Actor, userId: string, change: UserChange): Promise<{ changed: boolean; email: string }> {
	return db().$transaction(async (tx) => {
		const target = await lockUser(tx, context.org.id, userId)
		if (target.role === 'owner' && actor.role !== 'owner') {
			throw new UserChangeRefused(403, 'Only an owner can change an owner’s account.')
		}
		if (actor.id !== target.id && !(await actorCovers(context.org.id, actor, target.role))) {
			throw new UserChangeRefused(403, 'You can only change users whose role grants no more than your own.')
		}
		const details = await changeInTx(tx, context, actor, target, change)
		if (details === null) return { changed: false, email: target.email }
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
		return { changed: true, email: target.email }
	})
}
