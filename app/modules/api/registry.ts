import { z } from 'zod'
import { APP_TYPES } from '../apps/schema'
import { brandingDocumentSchema } from '../branding/document'
import { brandingPublishedSchema, brandingStateSchema, brandingVersionDetailSchema, brandingVersionParams, brandingVersionSchema } from './branding-schemas'
import { brandColorSchema, orgNameSchema, orgSlugSchema } from '../orgs/schema'
import { BUILT_IN_ROLE_NAMES, RESOURCES, STATEMENTS, statementsSchema, type Permissions } from '../permissions/statements'
import { emailSchema } from '../users/email'
import { pageQuerySchema, pageSchema } from './paging'

/**
 * Every Management API endpoint, declared once: method, path, the statements a key needs and the
 * zod schemas of its input and output. The route handlers parse with these schemas and
 * openapi.ts builds the document from them, so the two cannot disagree.
 */
export type EndpointDefinition = {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
	/** OpenAPI path template (`{id}`); the Remix route file is its flat-routes spelling. */
	path: `/api/v1/${string}`
	summary: string
	/** What the API key must hold; null for the one public endpoint (the document itself). */
	statements: Permissions | null
	/** Platform endpoints: only on the operator host (404 elsewhere), only with the operator org's keys. */
	operatorOnly?: boolean
	params?: z.ZodObject
	query?: z.ZodObject
	body?: z.ZodType
	/** `schema: null` answers with no body (204). */
	response: { status: 200 | 201 | 204; schema: z.ZodType | null }
}

const timestamp = z.iso.datetime()
const idParams = z.object({ id: z.string().max(100) })

/** A role by name: a built-in one (owner, admin, member) or one of the org's custom roles. */
const roleName = z.string({ error: 'role must be a string' }).trim().min(1, 'role is required').max(100, 'role must be at most 100 characters')

export const userSchema = z.object({
	id: z.string(),
	email: z.string(),
	name: z.string().nullable(),
	emailVerified: z.boolean(),
	role: z.string(),
	disabled: z.boolean(),
	createdAt: timestamp,
	updatedAt: timestamp,
})

export const createUserBodySchema = z.strictObject({
	email: emailSchema,
	name: z.string({ error: 'name must be a string' }).trim().min(1, 'name cannot be empty').max(100, 'name must be at most 100 characters').optional(),
	role: roleName.default('member'),
})

export const updateUserBodySchema = z
	.strictObject({
		role: roleName.optional(),
		disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
	})
	.refine((body) => body.role !== undefined || body.disabled !== undefined, 'Send role, disabled or both')

export const invitationSchema = z.object({
	id: z.string(),
	email: z.string(),
	role: z.string(),
	status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
	createdAt: timestamp,
	expiresAt: timestamp,
})

export const createInvitationBodySchema = z.strictObject({
	email: emailSchema,
	role: roleName.default('member'),
})

export const appSchema = z.object({
	id: z.string(),
	clientId: z.string(),
	name: z.string(),
	type: z.enum(APP_TYPES),
	redirectUris: z.array(z.string()),
	postLogoutRedirectUris: z.array(z.string()),
	firstParty: z.boolean(),
	hasSecret: z.boolean(),
	createdAt: timestamp,
})

export const auditEventSchema = z.object({
	id: z.string(),
	seq: z.number().int(),
	type: z.string(),
	actorId: z.string().nullable(),
	targetType: z.string().nullable(),
	targetId: z.string().nullable(),
	ip: z.string().nullable(),
	data: z.record(z.string(), z.unknown()),
	createdAt: timestamp,
})

export const auditQuerySchema = pageQuerySchema.extend({
	type: z.string().max(100, 'type must be at most 100 characters').optional(),
	actor: z.string().max(100, 'actor must be at most 100 characters').optional(),
})

export const orgSchema = z.object({
	id: z.string(),
	slug: z.string(),
	name: z.string(),
	brandColor: z.string(),
	themeId: z.string(),
	isOperator: z.boolean(),
	suspended: z.boolean(),
	createdAt: timestamp,
})

export const createOrgBodySchema = z.strictObject({
	name: orgNameSchema,
	slug: orgSlugSchema,
	brandColor: brandColorSchema.optional(),
	themeId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'themeId must be a theme folder name (a-z, 0-9, -)').optional(),
})

export const roleSchema = z.object({
	name: z.string(),
	builtIn: z.boolean(),
	description: z.string(),
	statements: z.record(z.string(), z.array(z.string())),
})

const roleParams = z.object({ name: z.string().max(100) })
const teamMemberParams = z.object({ id: z.string().max(100), userId: z.string().max(100) })

/**
 * A custom role's fields, as the console's roleInputSchema has them (app/modules/permissions/roles.server.ts,
 * which parses them again): repeated here because that schema is server-only and this file feeds the document.
 */
const customRoleName = z
	.string({ error: 'name must be a string' })
	.trim()
	.min(1, 'name is required')
	.max(50, 'name must be at most 50 characters')
	.regex(/^[A-Za-z0-9 _-]+$/, 'name may have letters, digits, spaces, - and _ only')
	.refine((name) => !(BUILT_IN_ROLE_NAMES as string[]).includes(name.toLowerCase()), `name cannot be a built-in role's (${BUILT_IN_ROLE_NAMES.join(', ')})`)
const roleDescription = z.string({ error: 'description must be a string' }).trim().max(500, 'description must be at most 500 characters')
const roleStatements = statementsSchema.describe(`Resource → actions: ${RESOURCES.map((resource) => `${resource} (${STATEMENTS[resource].join(', ')})`).join('; ')}`)

export const createRoleBodySchema = z.strictObject({ name: customRoleName, description: roleDescription.default(''), statements: roleStatements })

export const updateRoleBodySchema = z
	.strictObject({ name: customRoleName.optional(), description: roleDescription.optional(), statements: roleStatements.optional() })
	.refine((body) => body.name !== undefined || body.description !== undefined || body.statements !== undefined, 'Send name, description, statements or several')

export const teamSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), memberCount: z.number().int() })

export const teamDetailSchema = teamSchema.extend({
	members: z.array(z.object({ userId: z.string(), email: z.string(), name: z.string().nullable(), addedAt: timestamp })),
})

/** A team's fields, as the console's teamFormSchema has them (app/modules/teams/teams.server.ts parses them again). */
const teamName = z.string({ error: 'name must be a string' }).trim().min(1, 'name is required').max(100, 'name must be at most 100 characters')
const teamDescription = z.string({ error: 'description must be a string' }).trim().max(500, 'description must be at most 500 characters')

export const createTeamBodySchema = z.strictObject({ name: teamName, description: teamDescription.default('') })

export const updateTeamBodySchema = z
	.strictObject({ name: teamName.optional(), description: teamDescription.optional() })
	.refine((body) => body.name !== undefined || body.description !== undefined, 'Send name, description or both')

export const ENDPOINTS = {
	listUsers: { method: 'GET', path: '/api/v1/users', summary: "List the org's users", statements: { user: ['read'] }, query: pageQuerySchema, response: { status: 200, schema: pageSchema(userSchema) } },
	createUser: {
		method: 'POST',
		path: '/api/v1/users',
		summary: 'Create a user (without a password: they set one with "Forgot password?" or a sign-in link)',
		statements: { user: ['create'] },
		body: createUserBodySchema,
		response: { status: 201, schema: userSchema },
	},
	getUser: { method: 'GET', path: '/api/v1/users/{id}', summary: 'Read one user', statements: { user: ['read'] }, params: idParams, response: { status: 200, schema: userSchema } },
	updateUser: {
		method: 'PATCH',
		path: '/api/v1/users/{id}',
		summary: "Change a user's role or disable them (disabling ends their sessions)",
		statements: { user: ['update'] },
		params: idParams,
		body: updateUserBodySchema,
		response: { status: 200, schema: userSchema },
	},
	deleteUser: { method: 'DELETE', path: '/api/v1/users/{id}', summary: 'Delete a user and everything issued to them', statements: { user: ['delete'] }, params: idParams, response: { status: 204, schema: null } },
	listApps: { method: 'GET', path: '/api/v1/apps', summary: "List the org's apps (never their secrets)", statements: { app: ['read'] }, query: pageQuerySchema, response: { status: 200, schema: pageSchema(appSchema) } },
	listAuditEvents: {
		method: 'GET',
		path: '/api/v1/audit-events',
		summary: "The org's audit events, newest first; filter by type and actor",
		statements: { audit: ['read'] },
		query: auditQuerySchema,
		response: { status: 200, schema: pageSchema(auditEventSchema) },
	},
	listOrgs: { method: 'GET', path: '/api/v1/orgs', summary: 'Every org of the platform (operator keys only)', statements: { org: ['read'] }, operatorOnly: true, query: pageQuerySchema, response: { status: 200, schema: pageSchema(orgSchema) } },
	createOrg: { method: 'POST', path: '/api/v1/orgs', summary: 'Create an org (operator keys only)', statements: { org: ['create'] }, operatorOnly: true, body: createOrgBodySchema, response: { status: 201, schema: orgSchema } },
	listInvitations: { method: 'GET', path: '/api/v1/invitations', summary: "The org's invitations, newest first", statements: { invitation: ['read'] }, query: pageQuerySchema, response: { status: 200, schema: pageSchema(invitationSchema) } },
	createInvitation: {
		method: 'POST',
		path: '/api/v1/invitations',
		summary: 'Invite an address with a role: the emailed link (valid 7 days) creates the account; an earlier pending invitation of the address dies',
		statements: { invitation: ['create'] },
		body: createInvitationBodySchema,
		response: { status: 201, schema: invitationSchema },
	},
	revokeInvitation: { method: 'DELETE', path: '/api/v1/invitations/{id}', summary: 'Revoke a pending invitation (its link stops working)', statements: { invitation: ['delete'] }, params: idParams, response: { status: 204, schema: null } },
	listRoles: { method: 'GET', path: '/api/v1/roles', summary: "The built-in roles and the org's custom roles with their statements (one page: nextCursor is always null)", statements: { role: ['read'] }, response: { status: 200, schema: pageSchema(roleSchema) } },
	createRole: {
		method: 'POST',
		path: '/api/v1/roles',
		summary: 'Create a custom role from statements the key itself holds',
		statements: { role: ['create'] },
		body: createRoleBodySchema,
		response: { status: 201, schema: roleSchema },
	},
	getRole: { method: 'GET', path: '/api/v1/roles/{name}', summary: 'Read one role, built-in or custom, by name', statements: { role: ['read'] }, params: roleParams, response: { status: 200, schema: roleSchema } },
	updateRole: {
		method: 'PATCH',
		path: '/api/v1/roles/{name}',
		summary: "Rename a custom role (its holders and pending invitations follow), or change its description or statements; the key must hold the role's statements before and after",
		statements: { role: ['update'] },
		params: roleParams,
		body: updateRoleBodySchema,
		response: { status: 200, schema: roleSchema },
	},
	deleteRole: {
		method: 'DELETE',
		path: '/api/v1/roles/{name}',
		summary: 'Delete a custom role that no user holds and no pending invitation offers (else 409)',
		statements: { role: ['delete'] },
		params: roleParams,
		response: { status: 204, schema: null },
	},
	listTeams: { method: 'GET', path: '/api/v1/teams', summary: "List the org's teams", statements: { team: ['read'] }, query: pageQuerySchema, response: { status: 200, schema: pageSchema(teamSchema) } },
	createTeam: { method: 'POST', path: '/api/v1/teams', summary: 'Create a team (names are unique in the org)', statements: { team: ['create'] }, body: createTeamBodySchema, response: { status: 201, schema: teamDetailSchema } },
	getTeam: { method: 'GET', path: '/api/v1/teams/{id}', summary: 'Read one team with its members', statements: { team: ['read'] }, params: idParams, response: { status: 200, schema: teamDetailSchema } },
	updateTeam: {
		method: 'PATCH',
		path: '/api/v1/teams/{id}',
		summary: 'Rename a team or change its description',
		statements: { team: ['update'] },
		params: idParams,
		body: updateTeamBodySchema,
		response: { status: 200, schema: teamDetailSchema },
	},
	deleteTeam: { method: 'DELETE', path: '/api/v1/teams/{id}', summary: 'Delete a team (its users stay)', statements: { team: ['delete'] }, params: idParams, response: { status: 204, schema: null } },
	addTeamMember: {
		method: 'PUT',
		path: '/api/v1/teams/{id}/members/{userId}',
		summary: "Add one of the org's users to a team (already a member: nothing changes)",
		statements: { team: ['update'] },
		params: teamMemberParams,
		response: { status: 204, schema: null },
	},
	removeTeamMember: {
		method: 'DELETE',
		path: '/api/v1/teams/{id}/members/{userId}',
		summary: 'Remove a user from a team (404 when they are not a member)',
		statements: { team: ['update'] },
		params: teamMemberParams,
		response: { status: 204, schema: null },
	},
	getBranding: { method: 'GET', path: '/api/v1/branding', summary: 'The published branding (what end users see) and the draft', statements: { branding: ['read'] }, response: { status: 200, schema: brandingStateSchema } },
	saveBrandingDraft: {
		method: 'PUT',
		path: '/api/v1/branding/draft',
		summary: 'Replace the draft (end users see nothing of it until it is published); images by the sha256 an upload answered',
		statements: { branding: ['update'] },
		body: brandingDocumentSchema,
		response: { status: 200, schema: brandingStateSchema },
	},
	publishBranding: { method: 'POST', path: '/api/v1/branding/publish', summary: 'Publish the draft as the next version: every instance serves it on its next request', statements: { branding: ['update'] }, response: { status: 201, schema: brandingPublishedSchema } },
	listBrandingVersions: { method: 'GET', path: '/api/v1/branding/versions', summary: 'Every published version, newest first (one page: nextCursor is always null)', statements: { branding: ['read'] }, response: { status: 200, schema: pageSchema(brandingVersionSchema) } },
	getBrandingVersion: { method: 'GET', path: '/api/v1/branding/versions/{number}', summary: 'One published version', statements: { branding: ['read'] }, params: brandingVersionParams, response: { status: 200, schema: brandingVersionDetailSchema } },
	restoreBrandingVersion: {
		method: 'POST',
		path: '/api/v1/branding/versions/{number}/restore',
		summary: 'Publish a copy of an earlier version as the next one (rollback); the draft becomes it too',
		statements: { branding: ['update'] },
		params: brandingVersionParams,
		response: { status: 201, schema: brandingPublishedSchema },
	},
	openapi: { method: 'GET', path: '/api/v1/openapi.json', summary: 'This document', statements: null, response: { status: 200, schema: z.record(z.string(), z.unknown()) } },
} as const satisfies Record<string, EndpointDefinition>

export type EndpointId = keyof typeof ENDPOINTS
