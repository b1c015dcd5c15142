import { type z } from 'zod'
import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { addTeamMember, createTeam, deleteTeam, getTeam, NoUserHereError, removeTeamMember, TeamNameTakenError, TeamNotFoundError, updateTeam } from '../teams/teams.server'
import { ApiError } from './errors'
import { toPage } from './paging'
import { type createTeamBodySchema, type teamDetailSchema, type updateTeamBodySchema } from './registry'
import { cursorPosition } from './users.server'

/**
 * Teams through the Management API. Every write is the console's own (app/modules/teams/teams.server.ts):
 * names unique per org, members only users of the same org, `team.*` events in the same
 * transaction. Teams grant no statements, so a key's own statements do not bound whom it adds.
 * Every lookup is scoped to the key's org: another org's team or user is 404.
 */
type Ctx = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>
type PageQuery = { cursor?: string; limit: number }

const audit = (key: AuthenticatedKey, context: Ctx) => ({ actorId: key.id, ip: context.ip, userAgent: context.userAgent })
const NO_SUCH_TEAM = 'No such team in this organization.'
const NO_SUCH_USER = 'No such user in this organization.'

/** Keyset on the id, as the other lists; members counted as getTeam shows them (users of this org). */
export async function listTeamsPage(context: Ctx, query: PageQuery) {
	const organizationId = context.org.id
	const after = cursorPosition(query.cursor)
	const rows = await db().team.findMany({
		where: { organizationId, ...(after ? { id: { gt: after } } : {}) },
		orderBy: { id: 'asc' },
		take: query.limit + 1,
		include: { _count: { select: { members: { where: { user: { organizationId } } } } } },
	})
	return toPage(rows, query.limit, (team) => team.id, (team) => ({ id: team.id, name: team.name, description: team.description, memberCount: team._count.members }))
}

export async function getTeamDetail(context: Ctx, id: string): Promise<z.input<typeof teamDetailSchema>> {
	try {
		const team = await getTeam(context.org.id, id)
		return { ...team, memberCount: team.members.length, members: team.members.map((member) => ({ ...member, addedAt: member.addedAt.toISOString() })) }
	} catch (error) {
		if (error instanceof TeamNotFoundError) throw new ApiError('not_found', NO_SUCH_TEAM)
		throw error
	}
}

const nameTaken = (error: TeamNameTakenError) => new ApiError('conflict', error.message, [{ path: 'body.name', message: error.message }])

export async function createTeamWithKey(key: AuthenticatedKey, context: Ctx, body: z.output<typeof createTeamBodySchema>): Promise<z.input<typeof teamDetailSchema>> {
	try {
		const team = await createTeam(context.org.id, body, audit(key, context))
		return { id: team.id, name: team.name, description: team.description, memberCount: 0, members: [] }
	} catch (error) {
		if (error instanceof TeamNameTakenError) throw nameTaken(error)
		throw error
	}
}

/** A PATCH is the console's full update with the fields not sent kept as they are. */
export async function updateTeamWithKey(key: AuthenticatedKey, context: Ctx, id: string, body: z.output<typeof updateTeamBodySchema>) {
	const current = await getTeamDetail(context, id)
	try {
		await updateTeam(context.org.id, id, { name: body.name ?? current.name, description: body.description ?? current.description }, audit(key, context))
	} catch (error) {
		if (error instanceof TeamNameTakenError) throw nameTaken(error)
		if (error instanceof TeamNotFoundError) throw new ApiError('not_found', NO_SUCH_TEAM)
		throw error
	}
	return getTeamDetail(context, id)
}

export async function deleteTeamWithKey(key: AuthenticatedKey, context: Ctx, id: string) {
	try {
		await deleteTeam(context.org.id, id, audit(key, context))
	} catch (error) {
		if (error instanceof TeamNotFoundError) throw new ApiError('not_found', NO_SUCH_TEAM)
		throw error
	}
	return null
}

/** Idempotent: adding a member again changes nothing and writes no event. */
export async function addTeamMemberWithKey(key: AuthenticatedKey, context: Ctx, id: string, userId: string) {
	// The console adds by email; the API names the user by id, looked up in this org only.
	const user = await db().user.findFirst({ where: { id: userId, organizationId: context.org.id }, select: { email: true } })
	if (!user) throw new ApiError('not_found', NO_SUCH_USER)
	try {
		await addTeamMember(context.org.id, id, user.email, audit(key, context))
	} catch (error) {
		if (error instanceof TeamNotFoundError) throw new ApiError('not_found', NO_SUCH_TEAM)
		if (error instanceof NoUserHereError) throw new ApiError('not_found', NO_SUCH_USER)
		throw error
	}
	return null
}

export async function removeTeamMemberWithKey(key: AuthenticatedKey, context: Ctx, id: string, userId: string) {
	let removed: boolean
	try {
		removed = await removeTeamMember(context.org.id, id, userId, audit(key, context))
	} catch (error) {
		if (error instanceof TeamNotFoundError) throw new ApiError('not_found', NO_SUCH_TEAM)
		throw error
	}
	if (!removed) throw new ApiError('not_found', 'That user is not a member of this team.')
	return null
}
