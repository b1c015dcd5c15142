import { type z } from 'zod'
import { type RequestContext } from '../../context'
import { type Role } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { permissionsToWords } from '../apikeys/schema'
import { createRole, deleteRole, RoleInUseError, RoleNameTakenError, RoleNotFoundError, updateRole } from '../permissions/roles.server'
import { statementsBeyond } from '../permissions/grants.server'
import { BUILT_IN_ROLES, cleanStatements, isBuiltInRole, type Permissions } from '../permissions/statements'
import { ApiError } from './errors'
import { type createRoleBodySchema, type roleSchema, type updateRoleBodySchema } from './registry'

/**
 * Roles through the Management API. Every write is the console's own (app/modules/permissions/roles.server.ts),
 * so names, statements, renames carrying holders along, the in-use refusal and the `role.*` events
 * are the same. What a key adds:
 * - built-in roles are read-only here: changing or deleting one is 403 `forbidden`;
 * - a key creates a role only from statements it holds, edits only a role it covers before and
 *   after the change, and deletes only a role it covers: no key makes or unmakes a role stronger than itself;
 * - a role is looked up by name inside the key's org, so another org's role is 404.
 */
type Ctx = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>
type RoleView = z.input<typeof roleSchema>

const audit = (key: AuthenticatedKey, context: Ctx) => ({ actorId: key.id, ip: context.ip, userAgent: context.userAgent })
const words = (permissions: Permissions) => Object.fromEntries(Object.entries(permissions).map(([resource, actions]) => [resource, [...(actions as string[])]]))

function serializeCustomRole(role: Pick<Role, 'name' | 'description' | 'statements'>): RoleView {
	return { name: role.name, builtIn: false, description: role.description, statements: words(cleanStatements(role.statements)) }
}

/** The statements the key lacks to hold `statements` (the grant rule's comparison: `org` counts only in the operator org). */
function missingFromKey(key: AuthenticatedKey, org: Ctx['org'], statements: Permissions): string[] {
	return permissionsToWords(statementsBeyond(org, key.statements, statements))
}

function assertKeyCoversStatements(key: AuthenticatedKey, context: Ctx, statements: Permissions, doing: string) {
	const missing = missingFromKey(key, context.org, statements)
	if (missing.length) throw new ApiError('forbidden', `This API key can't ${doing}: the role would do more than the key (it lacks ${missing.join(', ')}).`)
}

function assertNotBuiltIn(name: string) {
	if (isBuiltInRole(name)) throw new ApiError('forbidden', `"${name}" is a built-in role: it cannot be changed or deleted.`)
}

async function requireCustomRole(organizationId: string, name: string) {
	const role = await db().role.findUnique({ where: { organizationId_name: { organizationId, name } } })
	if (!role) throw new ApiError('not_found', 'No such role in this organization.')
	return role
}

const nameTaken = (error: RoleNameTakenError) => new ApiError('conflict', error.message, [{ path: 'body.name', message: error.message }])

export async function getRoleByName(context: Ctx, name: string): Promise<RoleView> {
	if (isBuiltInRole(name)) return { name, builtIn: true, description: `Built-in role: ${name}`, statements: words(BUILT_IN_ROLES[name]) }
	return serializeCustomRole(await requireCustomRole(context.org.id, name))
}

export async function createRoleWithKey(key: AuthenticatedKey, context: Ctx, body: z.output<typeof createRoleBodySchema>) {
	const statements = cleanStatements(body.statements)
	assertKeyCoversStatements(key, context, statements, 'create this role')
	try {
		return serializeCustomRole(await createRole(context.org.id, { name: body.name, description: body.description, statements }, audit(key, context)))
	} catch (error) {
		if (error instanceof RoleNameTakenError) throw nameTaken(error)
		throw error
	}
}

/** A PATCH is the console's full update with the fields not sent kept as they are. */
export async function updateRoleWithKey(key: AuthenticatedKey, context: Ctx, name: string, body: z.output<typeof updateRoleBodySchema>) {
	assertNotBuiltIn(name)
	const role = await requireCustomRole(context.org.id, name)
	const before = cleanStatements(role.statements)
	assertKeyCoversStatements(key, context, before, 'change this role')
	const statements = body.statements === undefined ? before : cleanStatements(body.statements)
	assertKeyCoversStatements(key, context, statements, 'give this role these statements')
	try {
		const updated = await updateRole(context.org.id, role.id, { name: body.name ?? role.name, description: body.description ?? role.description, statements }, audit(key, context))
		return serializeCustomRole(updated)
	} catch (error) {
		if (error instanceof RoleNameTakenError) throw nameTaken(error)
		if (error instanceof RoleNotFoundError) throw new ApiError('not_found', 'No such role in this organization.')
		throw error
	}
}

export async function deleteRoleWithKey(key: AuthenticatedKey, context: Ctx, name: string) {
	assertNotBuiltIn(name)
	const role = await requireCustomRole(context.org.id, name)
	assertKeyCoversStatements(key, context, cleanStatements(role.statements), 'delete this role')
	try {
		await deleteRole(context.org.id, role.id, audit(key, context))
	} catch (error) {
		if (error instanceof RoleInUseError) throw new ApiError('conflict', error.message)
		if (error instanceof RoleNotFoundError) throw new ApiError('not_found', 'No such role in this organization.')
		throw error
	}
	return null
}
