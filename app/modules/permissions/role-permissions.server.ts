import { db } from '../../utils/db.server'
import { isBuiltInRole, roleStatements, type Permissions } from './statements'

/** What a role name means in an org: a built-in role, else the org's custom role of that name, else nothing. */
export async function permissionsOf(organizationId: string, roleName: string): Promise<Permissions> {
	if (isBuiltInRole(roleName)) return roleStatements(roleName, undefined)
	const role = await db().role.findUnique({ where: { organizationId_name: { organizationId, name: roleName } }, select: { statements: true } })
	return roleStatements(roleName, role?.statements)
}
