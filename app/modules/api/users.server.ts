import { type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { keyActor } from '../permissions/grants.server'
import { changeUser, createUserAs, UserChangeRefused, type UserChange } from '../users/admin-users.server'
import { ApiError } from './errors'
import { decodeCursor, toPage } from './paging'
import { type createUserBodySchema, type updateUserBodySchema, type userSchema } from './registry'
import { type z } from 'zod'

/**
 * Users through the Management API. A key acts for its org only, and never beyond its own
 * statements: it cannot hand out, or touch a holder of, a role stronger than itself. Every write
 * is the console's own (createUserAs, changeUser): the same grant rule, the same locked
 * last-owner check, the same `user.*` events, with the key's id as actor.
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

/**
 * The console's refusals in the API's words (codes and messages clients already rely on): the
 * rules themselves are the console's (users/admin-users.server.ts, permissions/grants.server.ts).
 */
export function apiErrorFor(error: UserChangeRefused): ApiError {
	switch (error.reason) {
		case 'not_found':
			return new ApiError('not_found', 'No such user in this organization.')
		case 'unknown_role':
			return new ApiError('invalid_request', 'No such role in this organization.', [{ path: 'body.role', message: `No role named "${error.role}" (GET /api/v1/roles lists them)` }])
		case 'owner_only':
		case 'beyond':
			return keyCannotActOn(error.role ?? '')
		case 'last_owner':
			return new ApiError('conflict', 'This is the only active owner of the organization. Make someone else an owner first.')
		case 'email_taken':
			return new ApiError('conflict', 'A user with this email already exists in this organization.', [{ path: 'body.email', message: 'An account with this email already exists' }])
		case 'self':
			return new ApiError('forbidden', error.message)
	}
}

export const keyCannotActOn = (role: string) => new ApiError('forbidden', `This API key can't act on the role "${role}": the role can do more than the key.`)

async function withApiErrors<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run()
	} catch (error) {
		if (error instanceof UserChangeRefused) throw apiErrorFor(error)
		throw error
	}
}

export async function createUserWithKey(key: AuthenticatedKey, context: Ctx, body: z.output<typeof createUserBodySchema>) {
	const user = await withApiErrors(() => createUserAs(keyActor(context.org, key), { email: body.email, name: body.name, role: body.role }, context))
	return serializeUser(user)
}

/** A PATCH is the console's changes (role first, then disabled) in one transaction: all or none. */
export async function updateUserWithKey(key: AuthenticatedKey, context: Ctx, id: string, body: z.output<typeof updateUserBodySchema>) {
	const changes: UserChange[] = []
	if (body.role !== undefined) changes.push({ intent: 'change-role', role: body.role })
	if (body.disabled !== undefined) changes.push({ intent: body.disabled ? 'disable' : 'enable' })
	await withApiErrors(() => changeUser(context, keyActor(context.org, key), id, changes))
	return serializeUser(await requireUserOfOrg(context.org.id, id))
}

/** Deletes the user with their sessions and factors (cascade) and the grants and tokens issued to them. */
export async function deleteUserWithKey(key: AuthenticatedKey, context: Ctx, id: string) {
	await withApiErrors(() => changeUser(context, keyActor(context.org, key), id, { intent: 'delete' }))
	return null
}
