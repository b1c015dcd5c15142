import { type z } from 'zod'
import { type RequestContext } from '../../context'
import { type Organization } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { publicApp } from '../apps/apps.server'
import { createOrg, OrgSlugTakenError } from '../orgs/orgs.server'
import { forgetOrg } from '../orgs/resolve.server'
import { BUILT_IN_ROLES, cleanStatements, type Permissions } from '../permissions/statements'
import { ApiError } from './errors'
import { decodeCursor, toPage } from './paging'
import { type appSchema, type createOrgBodySchema, type orgSchema, type roleSchema } from './registry'
import { cursorPosition } from './users.server'

type Ctx = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>
type PageQuery = { cursor?: string; limit: number }

export async function listAppsPage(context: Ctx, query: PageQuery) {
	const after = cursorPosition(query.cursor)
	const rows = await db().application.findMany({ where: { organizationId: context.org.id, ...(after ? { id: { gt: after } } : {}) }, orderBy: { id: 'asc' }, take: query.limit + 1 })
	return toPage(rows, query.limit, (app) => app.id, (row): z.input<typeof appSchema> => {
		const app = publicApp(row)
		return { id: app.id, clientId: app.clientId, name: app.name, type: app.type as z.input<typeof appSchema>['type'], redirectUris: app.redirectUris, postLogoutRedirectUris: app.postLogoutRedirectUris, firstParty: app.firstParty, hasSecret: app.hasSecret, createdAt: app.createdAt.toISOString() }
	})
}

/** Newest first, keyset on the chain's sequence number: stable while new events arrive. */
export async function listAuditEventsPage(context: Ctx, query: PageQuery & { type?: string; actor?: string }) {
	let before: number | undefined
	if (query.cursor !== undefined) {
		const seq = decodeCursor(query.cursor, 'number')
		if (seq === null) throw new ApiError('invalid_request', 'The cursor is not valid.', [{ path: 'query.cursor', message: 'not a cursor from this API' }])
		before = seq
	}
	const rows = await db().auditEvent.findMany({
		where: {
			organizationId: context.org.id,
			...(query.type ? { type: query.type } : {}),
			...(query.actor ? { actorId: query.actor } : {}),
			...(before !== undefined ? { seq: { lt: before } } : {}),
		},
		orderBy: { seq: 'desc' },
		take: query.limit + 1,
	})
	return toPage(rows, query.limit, (event) => event.seq, (event) => ({
		id: event.id,
		seq: event.seq,
		type: event.type,
		actorId: event.actorId,
		targetType: event.targetType,
		targetId: event.targetId,
		ip: event.ip,
		data: typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? (event.data as Record<string, unknown>) : {},
		createdAt: event.createdAt.toISOString(),
	}))
}

function serializeOrg(org: Organization): z.input<typeof orgSchema> {
	return { id: org.id, slug: org.slug, name: org.name, brandColor: org.brandColor, themeId: org.themeId, isOperator: org.isOperator, suspended: org.suspendedAt !== null, createdAt: org.createdAt.toISOString() }
}

export async function listOrgsPage(query: PageQuery) {
	const after = cursorPosition(query.cursor)
	const rows = await db().organization.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: query.limit + 1 })
	return toPage(rows, query.limit, (org) => org.id, serializeOrg)
}

/** Same rules and the same transaction as `foyer orgs create` (createOrg parses the input again). */
export async function createOrgWithKey(key: AuthenticatedKey, context: Ctx, body: z.output<typeof createOrgBodySchema>) {
	try {
		const org = await createOrg(body, { actorId: key.id, ip: context.ip, userAgent: context.userAgent })
		forgetOrg(org.id)
		return serializeOrg(org)
	} catch (error) {
		if (error instanceof OrgSlugTakenError) throw new ApiError('conflict', error.message, [{ path: 'body.slug', message: 'already taken' }])
		throw error
	}
}

const words = (permissions: Permissions) => Object.fromEntries(Object.entries(permissions).map(([resource, actions]) => [resource, [...(actions as string[])]]))

/** Built-in roles first, then the org's custom roles by name. Roles are few: one page, no cursor. */
export async function listRolesPage(context: Ctx): Promise<{ data: z.input<typeof roleSchema>[]; nextCursor: null }> {
	const custom = await db().role.findMany({ where: { organizationId: context.org.id }, orderBy: { name: 'asc' }, take: 1000 })
	const builtIn = Object.entries(BUILT_IN_ROLES).map(([name, permissions]) => ({ name, builtIn: true, description: `Built-in role: ${name}`, statements: words(permissions) }))
	return { data: [...builtIn, ...custom.map((role) => ({ name: role.name, builtIn: false, description: role.description, statements: words(cleanStatements(role.statements)) }))], nextCursor: null }
}
