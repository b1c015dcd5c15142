import { z } from 'zod'
import { type Prisma, type Role } from '../../generated/prisma/client'
import { db, type Tx, isUniqueViolation } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES, cleanStatements, statementsSchema, type Permissions } from './statements'

/**
 * Custom roles: named sets of statements an org defines next to the built-in owner, admin and
 * member. Rules enforced here:
 * - a name is 1-50 letters, digits, spaces, `-` or `_`, never a built-in name (in any case), unique per org;
 * - statements are only known resources and actions (statementsSchema, then cleanStatements);
 * - users hold a role by name, so renaming carries its holders and pending invitations along;
 * - a role that users hold, or pending invitations offer, cannot be deleted (409);
 * - every change writes `role.*` in its transaction, with the statements before and after.
 */

export const ROLE_NAME_TAKEN = 'A role with this name already exists here.'

/** The checkbox grid posts `statements=<resource>:<action>` once per ticked box. */
const statementsField = z
	.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string().max(40)).max(100))
	.transform((pairs) => {
		const record: Record<string, string[]> = {}
		for (const pair of pairs) {
			const [resource = '', action = ''] = pair.split(':')
			;(record[resource] ??= []).push(action)
		}
		return record
	})
	// Issues go on the field itself (not `statements.<resource>`), so the grid shows them.
	.superRefine((record, ctx) => {
		const checked = statementsSchema.safeParse(record)
		if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message })
	})
	.transform((record) => cleanStatements(record))

const roleFields = {
	name: z
		.string({ error: 'Name is required' })
		.trim()
		.min(1, 'Name is required')
		.max(50, 'Name must be at most 50 characters')
		.regex(/^[A-Za-z0-9 _-]+$/, 'Use letters, digits, spaces, - and _ only')
		.refine((name) => !(BUILT_IN_ROLE_NAMES as string[]).includes(name.toLowerCase()), 'That name belongs to a built-in role'),
	description: z.string().trim().max(500, 'Description must be at most 500 characters').optional().default(''),
}

/** The console's form: statements come from the checkbox grid. */
export const roleFormSchema = z.object({ ...roleFields, statements: statementsField })

/** What the module takes (forms and API bodies alike): statements as `{ resource: [action] }`. */
export const roleInputSchema = z.object({ ...roleFields, statements: statementsSchema.transform((record) => cleanStatements(record)) })

export type RoleInput = { name: string; description?: string; statements: Permissions }

export class RoleNotFoundError extends Error {
	constructor() {
		super('No such role in this organization')
	}
}

export class RoleNameTakenError extends Error {
	constructor() {
		super(ROLE_NAME_TAKEN)
	}
}

export class RoleInUseError extends Error {
	constructor(
		public readonly users: number,
		public readonly invitations: number,
	) {
		super(
			users > 0
				? `${users} ${users === 1 ? 'user holds' : 'users hold'} this role. Give them another role first.`
				: `${invitations} pending ${invitations === 1 ? 'invitation offers' : 'invitations offer'} this role. Revoke ${invitations === 1 ? 'it' : 'them'} first.`,
		)
	}
}

export function builtInRoles() {
	return BUILT_IN_ROLE_NAMES.map((name) => ({ name, statements: BUILT_IN_ROLES[name] as Permissions }))
}

/** The org's custom roles, each with how many users hold it. */
export async function listCustomRoles(organizationId: string) {
	const [roles, holders] = await Promise.all([
		db().role.findMany({ where: { organizationId }, orderBy: { name: 'asc' } }),
		db().user.groupBy({ by: ['role'], where: { organizationId }, _count: { _all: true } }),
	])
	const held = new Map(holders.map((row) => [row.role, row._count._all]))
	return roles.map((role) => ({ id: role.id, name: role.name, description: role.description, statements: cleanStatements(role.statements), holders: held.get(role.name) ?? 0 }))
}

export async function getCustomRole(organizationId: string, roleId: string) {
	const role = await db().role.findFirst({ where: { id: roleId, organizationId } })
	if (!role) throw new RoleNotFoundError()
	return { ...role, statements: cleanStatements(role.statements) }
}

function audited(organizationId: string, context: AuditContext, type: string, role: Role, data: Record<string, unknown>) {
	return (tx: Tx) => recordAuditEvent(tx, { organizationId, type, targetType: 'role', targetId: role.id, data: { name: role.name, ...data }, ...context })
}

export async function createRole(organizationId: string, input: RoleInput, context: AuditContext = {}) {
	const value = roleInputSchema.parse(input)
	try {
		return await db().$transaction(async (tx) => {
			const role = await tx.role.create({ data: { organizationId, name: value.name, description: value.description, statements: value.statements as Prisma.InputJsonObject } })
			await audited(organizationId, context, 'role.created', role, { statements: value.statements })(tx)
			return role
		})
	} catch (error) {
		if (isUniqueViolation(error)) throw new RoleNameTakenError()
		throw error
	}
}

export async function updateRole(organizationId: string, roleId: string, input: RoleInput, context: AuditContext = {}) {
	const value = roleInputSchema.parse(input)
	try {
		return await db().$transaction(async (tx) => {
			const before = await tx.role.findFirst({ where: { id: roleId, organizationId } })
			if (!before) throw new RoleNotFoundError()
			const role = await tx.role.update({ where: { id: before.id }, data: { name: value.name, description: value.description, statements: value.statements as Prisma.InputJsonObject } })
			if (before.name !== role.name) {
				await tx.user.updateMany({ where: { organizationId, role: before.name }, data: { role: role.name } })
				await tx.invitation.updateMany({ where: { organizationId, role: before.name, acceptedAt: null, revokedAt: null }, data: { role: role.name } })
			}
			await audited(organizationId, context, 'role.updated', role, {
				from: { name: before.name, description: before.description, statements: cleanStatements(before.statements) },
				to: { name: role.name, description: role.description, statements: value.statements },
			})(tx)
			return role
		})
	} catch (error) {
		if (isUniqueViolation(error)) throw new RoleNameTakenError()
		throw error
	}
}

export async function deleteRole(organizationId: string, roleId: string, context: AuditContext = {}) {
	return db().$transaction(async (tx) => {
		const role = await tx.role.findFirst({ where: { id: roleId, organizationId } })
		if (!role) throw new RoleNotFoundError()
		// Lock the row so a concurrent assignment check sees the same answer as this delete.
		await tx.$executeRaw`SELECT 1 FROM "Role" WHERE id = ${role.id} FOR UPDATE`
		const users = await tx.user.count({ where: { organizationId, role: role.name } })
		const invitations = await tx.invitation.count({ where: { organizationId, role: role.name, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } })
		if (users > 0 || invitations > 0) throw new RoleInUseError(users, invitations)
		await tx.role.delete({ where: { id: role.id } })
		await audited(organizationId, context, 'role.deleted', role, { statements: cleanStatements(role.statements) })(tx)
		return role
	})
}
