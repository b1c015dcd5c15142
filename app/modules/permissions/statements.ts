import { z } from 'zod'

/**
 * Permissions are statements: a resource and the actions on it. A role is a set of statements;
 * a user holds one role in their org (User.role: a built-in name or a custom role's name). Every
 * console loader and action, and every API endpoint, asks for the statements it needs
 * (requireOrgPermission), so what a role may do is read off this file, not spread through code.
 */
export const STATEMENTS = {
	user: ['read', 'create', 'update', 'delete'],
	role: ['read', 'create', 'update', 'delete'],
	team: ['read', 'create', 'update', 'delete'],
	invitation: ['read', 'create', 'delete'],
	settings: ['read', 'update'],
	branding: ['read', 'update'],
	app: ['read', 'create', 'update', 'delete'],
	audit: ['read', 'export'],
	apiKey: ['read', 'create', 'delete'],
	/** Only in the operator org: every org of the platform (onboarding, suspension, defaults, the dev outbox). */
	org: ['read', 'create', 'update'],
} as const

export type Resource = keyof typeof STATEMENTS
export type Action<R extends Resource = Resource> = (typeof STATEMENTS)[R][number]
export type Permissions = { readonly [R in Resource]?: readonly Action<R>[] }

export const RESOURCES = Object.keys(STATEMENTS) as Resource[]

const everything: Permissions = STATEMENTS

/**
 * Built-in roles. Owners can do everything; admins everything but define roles (so no admin can
 * make a role stronger than their own); members have no console.
 */
export const BUILT_IN_ROLES = {
	owner: everything,
	admin: { ...everything, role: ['read'] },
	member: {},
} as const satisfies Record<string, Permissions>

export type BuiltInRole = keyof typeof BUILT_IN_ROLES
export const BUILT_IN_ROLE_NAMES = Object.keys(BUILT_IN_ROLES) as BuiltInRole[]

export function isBuiltInRole(name: string): name is BuiltInRole {
	return (BUILT_IN_ROLE_NAMES as string[]).includes(name)
}

/**
 * What a role name means: a built-in role, else the org's custom role of that name (its stored
 * statements, `undefined` when the org has none by that name: then nothing). permissionsOf looks
 * the custom role up; a query that already joined it (API keys) passes its statements here.
 */
export function roleStatements(roleName: string, customRoleStatements: unknown): Permissions {
	return isBuiltInRole(roleName) ? BUILT_IN_ROLES[roleName] : cleanStatements(customRoleStatements)
}

/** True when `granted` holds every action `required` names. */
export function hasPermission(granted: Permissions, required: Permissions): boolean {
	return (Object.entries(required) as [Resource, readonly string[]][]).every(([resource, actions]) => {
		const held = (granted[resource] ?? []) as readonly string[]
		return actions.every((action) => held.includes(action))
	})
}

/**
 * The statements of `wanted` that `granted` lacks (empty when it covers them all). Whoever
 * defines a role (a console user, an API key) may only put in it what they hold themselves, or
 * they could make a role stronger than their own and take it.
 */
export function missingStatements(granted: Permissions, wanted: Permissions, ignore: readonly Resource[] = []): Permissions {
	const missing: Record<string, string[]> = {}
	for (const resource of RESOURCES) {
		if (ignore.includes(resource)) continue
		const held = (granted[resource] ?? []) as readonly string[]
		const lacking = ((wanted[resource] ?? []) as readonly string[]).filter((action) => !held.includes(action))
		if (lacking.length) missing[resource] = lacking
	}
	return missing as Permissions
}

/** True when `granted` holds at least one of the actions `any` names. */
export function holdsAnyOf(granted: Permissions, any: Permissions): boolean {
	return (Object.entries(any) as [Resource, readonly string[]][]).some(([resource, actions]) => {
		const held = (granted[resource] ?? []) as readonly string[]
		return actions.some((action) => held.includes(action))
	})
}

/** Whether the role opens the console at all (any statement). */
export function hasAnyPermission(granted: Permissions): boolean {
	return RESOURCES.some((resource) => (granted[resource]?.length ?? 0) > 0)
}

/**
 * Statements as stored for a custom role: only known resources and actions survive, each once,
 * in this file's order; anything else is dropped rather than trusted.
 */
export function cleanStatements(stored: unknown): Permissions {
	const record = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {}
	const clean: Record<string, string[]> = {}
	for (const resource of RESOURCES) {
		const actions = record[resource]
		if (!Array.isArray(actions)) continue
		const known = (STATEMENTS[resource] as readonly string[]).filter((action) => actions.includes(action))
		if (known.length) clean[resource] = known
	}
	return clean as Permissions
}

/** For forms and API bodies: statements with a clear message for an unknown resource or action. */
export const statementsSchema = z.record(z.string(), z.array(z.string())).superRefine((value, ctx) => {
	for (const [resource, actions] of Object.entries(value)) {
		if (!(RESOURCES as string[]).includes(resource)) {
			ctx.addIssue({ code: 'custom', message: `Unknown resource "${resource}" (one of ${RESOURCES.join(', ')})`, path: [resource] })
			continue
		}
		for (const action of actions) {
			if (!(STATEMENTS[resource as Resource] as readonly string[]).includes(action)) {
				ctx.addIssue({ code: 'custom', message: `Unknown action "${action}" on ${resource} (one of ${STATEMENTS[resource as Resource].join(', ')})`, path: [resource] })
			}
		}
	}
})
