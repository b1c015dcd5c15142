import { type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { recordAuditEvent } from '../audit/audit.server'
import { revokeUserGrants } from '../oidc/grants.server'
import { permissionsOf } from '../permissions/guard.server'
import { hasPermission, isBuiltInRole } from '../permissions/statements'
import { endUserSignIns } from '../sessions/end-sign-ins.server'
import { createUser, EmailTakenError, type Role } from '../users/users.server'
import { ApiError } from './errors'
import { decodeCursor, toPage } from './paging'
import { type createUserBodySchema, type updateUserBodySchema, type userSchema } from './registry'
import { type z } from 'zod'

/**
 * Users through the Management API. A key acts for its org only, and never beyond its own
 * statements: it cannot hand out, or touch a holder of, a role stronger than itself (the rule
 * the console applies to admins and custom roles).
 */
type Ctx = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>

export function serializeUser(user: User): z.input<typeof userSchema> {
	return {
		id: user.id,
		email: user.email,
		name: user.name,
		emailVerified: user.emailVerified,
		role: user.role,
		disabled: user.disabledAt !== null,
		createdAt: user.createdAt.toISOString(),
		updatedAt: user.updatedAt.toISOString(),
	}
}

const audit = (key: AuthenticatedKey, context: Ctx) => ({ actorId: key.id, ip: context.ip, userAgent: context.userAgent })

export function cursorPosition(cursor: string | undefined) {
	if (cursor === undefined) return undefined
	const position = decodeCursor(cursor, 'string')
	if (position === null) throw new ApiError('invalid_request', 'The cursor is not valid.', [{ path: 'query.cursor', message: 'not a cursor from this API' }])
	return position
}

export async function listUsers(context: Ctx, query: { cursor?: string; limit: number }) {
	const after = cursorPosition(query.cursor)
	const rows = await db().user.findMany({ where: { organizationId: context.org.id, ...(after ? { id: { gt: after } } : {}) }, orderBy: { id: 'asc' }, take: query.limit + 1 })
	return toPage(rows, query.limit, (user) => user.id, serializeUser)
}

async function requireUserOfOrg(organizationId: string, id: string) {
	const user = await db().user.findFirst({ where: { id, organizationId } })
	if (!user) throw new ApiError('not_found', 'No such user in this organization.')
	return user
}

export async function getUser(context: Ctx, id: string) {
	return serializeUser(await requireUserOfOrg(context.org.id, id))
}

/** A role the key hands out must exist in the org (built-in or custom). */
export async function assertRoleExists(organizationId: string, role: string) {
	if (isBuiltInRole(role)) return
	const exists = await db().role.findUnique({ where: { organizationId_name: { organizationId, name: role } }, select: { id: true } })
	if (!exists) throw new ApiError('invalid_request', 'No such role in this organization.', [{ path: 'body.role', message: `No role named "${role}" (GET /api/v1/roles lists them)` }])
}

/** The key must hold everything the role can do, to give it out or to act on someone holding it. */
export async function assertKeyCovers(key: AuthenticatedKey, org: Ctx['org'], role: string) {
	const { org: platform, ...inOrg } = await permissionsOf(org.id, role)
	// `org` statements mean something only in the operator org; a customer org's keys never hold them.
	const needed = org.isOperator ? { ...inOrg, ...(platform ? { org: platform } : {}) } : inOrg
	if (!hasPermission(key.statements, needed)) throw new ApiError('forbidden', `This API key can't act on the role "${role}": the role can do more than the key.`)
}

export async function createUserWithKey(key: AuthenticatedKey, context: Ctx, body: z.output<typeof createUserBodySchema>) {
	await assertRoleExists(context.org.id, body.role)
	await assertKeyCovers(key, context.org, body.role)
	try {
		// The role is a built-in or an existing custom role of this org (checked just above).
		const user = await createUser({ organizationId: context.org.id, email: body.email, name: body.name, role: body.role as Role }, audit(key, context))
		return serializeUser(user)
	} catch (error) {
		if (error instanceof EmailTakenError) throw new ApiError('conflict', 'A user with this email already exists in this organization.', [{ path: 'body.email', message: error.message }])
		throw error
	}
}


/** An org never loses its last active owner, by demotion, disabling or deletion. */
async function assertNotLastOwner(tx: Tx, organizationId: string, user: User) {
	if (user.role !== 'owner' || user.disabledAt) return
	const owners = await tx.user.count({ where: { organizationId, role: 'owner', disabledAt: null } })
	if (owners <= 1) throw new ApiError('conflict', 'This is the only active owner of the organization. Make someone else an owner first.')
}

export async function updateUserWithKey(key: AuthenticatedKey, context: Ctx, id: string, body: z.output<typeof updateUserBodySchema>) {
	const organizationId = context.org.id
	const existing = await requireUserOfOrg(organizationId, id)
	await assertKeyCovers(key, context.org, existing.role)
	if (body.role !== undefined && body.role !== existing.role) {
		await assertRoleExists(organizationId, body.role)
		await assertKeyCovers(key, context.org, body.role)
	}
	const updated = await db().$transaction(async (tx) => {
		const user = await tx.user.findFirst({ where: { id, organizationId } })
		if (!user) throw new ApiError('not_found', 'No such user in this organization.')
		const roleChanges = body.role !== undefined && body.role !== user.role
		const disable = body.disabled === true && !user.disabledAt
		const enable = body.disabled === false && user.disabledAt !== null
		if ((roleChanges && user.role === 'owner') || disable) await assertNotLastOwner(tx, organizationId, user)
		if (!roleChanges && !disable && !enable) return user
		const next = await tx.user.update({
			where: { id: user.id },
			data: { ...(roleChanges ? { role: body.role } : {}), ...(disable ? { disabledAt: new Date() } : {}), ...(enable ? { disabledAt: null } : {}) },
		})
		const base = { organizationId, targetType: 'user', targetId: user.id, ...audit(key, context) }
		if (roleChanges) await recordAuditEvent(tx, { ...base, type: 'user.role_changed', data: { email: user.email, from: user.role, to: next.role } })
		if (disable) {
			// A disabled user is signed out everywhere at once, apps included, not at their sessions' expiry.
			const ended = await endUserSignIns(tx, { organizationId, userId: user.id })
			await recordAuditEvent(tx, { ...base, type: 'user.disabled', data: { email: user.email, ...ended } })
		}
		if (enable) await recordAuditEvent(tx, { ...base, type: 'user.enabled', data: { email: user.email } })
		return next
	})
	return serializeUser(updated)
}

/** Deletes the user with their sessions and factors (cascade) and the grants and tokens issued to them. */
export async function deleteUserWithKey(key: AuthenticatedKey, context: Ctx, id: string) {
	const organizationId = context.org.id
	const existing = await requireUserOfOrg(organizationId, id)
	await assertKeyCovers(key, context.org, existing.role)
	await db().$transaction(async (tx) => {
		const user = await tx.user.findFirst({ where: { id, organizationId } })
		if (!user) throw new ApiError('not_found', 'No such user in this organization.')
		await assertNotLastOwner(tx, organizationId, user)
		const grantsRevoked = await revokeUserGrants(tx, organizationId, user.id)
		await recordAuditEvent(tx, { organizationId, type: 'user.deleted', targetType: 'user', targetId: user.id, ...audit(key, context), data: { email: user.email, by: 'api_key', grantsRevoked } })
		await tx.user.delete({ where: { id: user.id } })
	})
	return null
}
