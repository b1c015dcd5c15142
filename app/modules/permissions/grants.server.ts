import { db, type Tx } from '../../utils/db.server'
import { BUILT_IN_ROLE_NAMES, isBuiltInRole, missingStatements, RESOURCES, roleStatements, type Permissions } from './statements'

/**
 * The one rule for handing out roles, used wherever a role is given or a role's holder is acted on:
 * creating a user, changing a role, disabling or deleting someone, sending, resending and accepting
 * an invitation, and the same through the Management API.
 *
 * - Only an owner gives `owner` or acts on an owner (a console user; see below for keys).
 * - Otherwise the actor must hold every statement the role holds: nobody gives a role, or touches
 *   a holder of a role, that can do more than they can. A custom role with `invitation: create`
 *   cannot invite an admin.
 * - An API key is judged by its statements, and by `owner`-only like its creator: only a key of an
 *   owner (or of the CLI, the server's operator) gives `owner` or acts on owners.
 * - `org` statements mean something only in the operator org; elsewhere they are left out of
 *   the comparison (no customer org's key can hold them, and they give nothing there).
 * - An operator (a user of the operator org) acts in another org only to invite its owners
 *   (onboarding): they may while their role holds `org: create` or `org: update`.
 */

/** The org the actor acts in. */
export type GrantOrg = { id: string; isOperator: boolean }

export type Actor =
	| { kind: 'user'; org: GrantOrg; id: string; role: string; permissions: Permissions }
	/** `ownerRights`: the key may give and touch `owner` (a key of the CLI, or of an owner). */
	| { kind: 'apiKey'; org: GrantOrg; id: string; statements: Permissions; ownerRights: boolean }
	| { kind: 'operator'; org: GrantOrg; id: string; permissions: Permissions }

/** Why a holder of a role may not be acted on; the caller words it for its audience. */
export type ActRefusal = 'owner_only' | 'beyond'
/** Why a role may not be given. */
export type GrantRefusal = 'unknown_role' | ActRefusal

type Client = Pick<Tx, 'role'>

export function userActor(org: GrantOrg, user: { id: string; role: string }, permissions: Permissions): Actor {
	return { kind: 'user', org, id: user.id, role: user.role, permissions }
}

export function keyActor(org: GrantOrg, key: { id: string; statements: Permissions; ownerRights: boolean }): Actor {
	return { kind: 'apiKey', org, id: key.id, statements: key.statements, ownerRights: key.ownerRights }
}

/** True when `role` is a built-in role or one of the org's custom roles. */
export async function roleExists(organizationId: string, role: string, client: Client = db()): Promise<boolean> {
	if (isBuiltInRole(role)) return true
	if (role.length === 0 || role.length > 50) return false
	return (await client.role.count({ where: { organizationId, name: role } })) > 0
}

/** What a role name means in an org: a built-in role, else the org's custom role of that name, else nothing. */
export async function permissionsOf(organizationId: string, role: string, client: Client = db()): Promise<Permissions> {
	if (isBuiltInRole(role)) return roleStatements(role, undefined)
	const found = await client.role.findUnique({ where: { organizationId_name: { organizationId, name: role } }, select: { statements: true } })
	return roleStatements(role, found?.statements)
}

/** The statements of `wanted` that `held` lacks, counting `org` only in the operator org. */
export function statementsBeyond(org: GrantOrg, held: Permissions, wanted: Permissions): Permissions {
	return missingStatements(held, wanted, org.isOperator ? [] : ['org'])
}

const isEmpty = (permissions: Permissions) => RESOURCES.every((resource) => !permissions[resource]?.length)

function operatorMayInviteOwners(permissions: Permissions) {
	const held = (permissions.org ?? []) as readonly string[]
	return held.includes('create') || held.includes('update')
}

/** Whether the actor may act on a holder of `role` (change, disable, delete them), or give it. */
export async function actRefusal(actor: Actor, role: string, client: Client = db()): Promise<ActRefusal | null> {
	switch (actor.kind) {
		case 'operator':
			return !actor.org.isOperator && operatorMayInviteOwners(actor.permissions) ? null : 'beyond'
		case 'apiKey':
			if (role === 'owner' && !actor.ownerRights) return 'owner_only'
			return isEmpty(statementsBeyond(actor.org, actor.statements, await permissionsOf(actor.org.id, role, client))) ? null : 'beyond'
		case 'user':
			if (actor.role === 'owner') return null
			if (role === 'owner') return 'owner_only'
			return isEmpty(statementsBeyond(actor.org, actor.permissions, await permissionsOf(actor.org.id, role, client))) ? null : 'beyond'
	}
}

/** Why the actor may not give `role` in their org now, or null when they may. */
export async function grantRefusal(actor: Actor, role: string, client: Client = db()): Promise<GrantRefusal | null> {
	if (!(await roleExists(actor.org.id, role, client))) return 'unknown_role'
	return actRefusal(actor, role, client)
}

export async function mayGrant(actor: Actor, role: string): Promise<boolean> {
	return (await grantRefusal(actor, role)) === null
}

export async function mayActOn(actor: Actor, role: string): Promise<boolean> {
	return (await actRefusal(actor, role)) === null
}

/**
 * Whether holding `candidate` is at least holding `current` (the covering rule with `candidate`
 * in the actor's seat): an invitation to `candidate` raises a holder of `current` only then, so
 * accepting never lowers a role nor swaps it for one that can do different things.
 */
export async function roleCovers(org: GrantOrg, candidate: string, current: string, client: Client = db()): Promise<boolean> {
	const asHolder: Actor = { kind: 'user', org, id: '', role: candidate, permissions: await permissionsOf(org.id, candidate, client) }
	return (await actRefusal(asHolder, current, client)) === null
}

/** The roles the actor may give, for the pickers: member, admin, owner, then the org's custom roles by name. */
export async function grantableRoles(actor: Actor): Promise<string[]> {
	const custom = await db().role.findMany({ where: { organizationId: actor.org.id }, select: { name: true }, orderBy: { name: 'asc' } })
	const names = [...BUILT_IN_ROLE_NAMES.slice().reverse(), ...custom.map((role) => role.name)]
	const refusals = await Promise.all(names.map((name) => actRefusal(actor, name)))
	return names.filter((_, index) => refusals[index] === null)
}
