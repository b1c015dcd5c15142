import { z } from 'zod'
import { type Team } from '../../generated/prisma/client'
import { db, type Tx, isUniqueViolation } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { emailSchema } from '../users/email'

/**
 * Teams: named groups of an org's users. Rules enforced here:
 * - a name is unique per org; every lookup is scoped by organizationId, so another org's team
 *   or user is "not found", never read;
 * - a member is added by email and must be a user of the same org;
 * - every change writes `team.*` in its transaction.
 */

export const TEAM_NAME_TAKEN = 'A team with this name already exists here.'
export const NO_USER_HERE = 'No user with that email here'

export const teamFormSchema = z.object({
	name: z.string({ error: 'Name is required' }).trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters'),
	description: z.string().trim().max(500, 'Description must be at most 500 characters').optional().default(''),
})
export type TeamInput = z.infer<typeof teamFormSchema>

export const memberFormSchema = z.object({ email: emailSchema })

export class TeamNotFoundError extends Error {
	constructor() {
		super('No such team in this organization')
	}
}
export class TeamNameTakenError extends Error {
	constructor() {
		super(TEAM_NAME_TAKEN)
	}
}
export class NoUserHereError extends Error {
	constructor() {
		super(NO_USER_HERE)
	}
}

function record(tx: Tx, organizationId: string, context: AuditContext, type: string, team: Pick<Team, 'id' | 'name'>, data: Record<string, unknown> = {}) {
	return recordAuditEvent(tx, { organizationId, type, targetType: 'team', targetId: team.id, data: { name: team.name, ...data }, ...context })
}

async function ownedTeam(tx: Tx, organizationId: string, teamId: string) {
	const team = await tx.team.findFirst({ where: { id: teamId, organizationId } })
	if (!team) throw new TeamNotFoundError()
	return team
}

export async function listTeams(organizationId: string) {
	const teams = await db().team.findMany({ where: { organizationId }, orderBy: { name: 'asc' }, include: { _count: { select: { members: true } } } })
	return teams.map((team) => ({ id: team.id, name: team.name, description: team.description, members: team._count.members }))
}

/** The team with its members (each a user of the same org, by construction). */
export async function getTeam(organizationId: string, teamId: string) {
	const team = await db().team.findFirst({
		where: { id: teamId, organizationId },
		include: { members: { orderBy: { addedAt: 'asc' }, include: { user: { select: { id: true, email: true, name: true, organizationId: true } } } } },
	})
	if (!team) throw new TeamNotFoundError()
	return {
		id: team.id,
		name: team.name,
		description: team.description,
		members: team.members.filter((member) => member.user.organizationId === organizationId).map((member) => ({ userId: member.user.id, email: member.user.email, name: member.user.name, addedAt: member.addedAt })),
	}
}

async function uniqueName<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run()
	} catch (error) {
		if (isUniqueViolation(error)) throw new TeamNameTakenError()
		throw error
	}
}

export function createTeam(organizationId: string, input: TeamInput, context: AuditContext = {}) {
	const value = teamFormSchema.parse(input)
	return uniqueName(() =>
		db().$transaction(async (tx) => {
			const team = await tx.team.create({ data: { organizationId, name: value.name, description: value.description } })
			await record(tx, organizationId, context, 'team.created', team, { description: team.description })
			return team
		}),
	)
}

export function updateTeam(organizationId: string, teamId: string, input: TeamInput, context: AuditContext = {}) {
	const value = teamFormSchema.parse(input)
	return uniqueName(() =>
		db().$transaction(async (tx) => {
			const before = await ownedTeam(tx, organizationId, teamId)
			const team = await tx.team.update({ where: { id: before.id }, data: { name: value.name, description: value.description } })
			await record(tx, organizationId, context, 'team.updated', team, { from: { name: before.name, description: before.description }, to: { name: team.name, description: team.description } })
			return team
		}),
	)
}

export function deleteTeam(organizationId: string, teamId: string, context: AuditContext = {}) {
	return db().$transaction(async (tx) => {
		const team = await ownedTeam(tx, organizationId, teamId)
		const members = await tx.teamMember.count({ where: { teamId: team.id } })
		await tx.team.delete({ where: { id: team.id } })
		await record(tx, organizationId, context, 'team.deleted', team, { members })
		return team
	})
}

/** Adds the org's user with this email; returns false when they were already a member. */
export async function addTeamMember(organizationId: string, teamId: string, email: string, context: AuditContext = {}) {
	const add = db().$transaction(async (tx) => {
		const team = await ownedTeam(tx, organizationId, teamId)
		const user = await tx.user.findUnique({ where: { organizationId_email: { organizationId, email } }, select: { id: true, email: true } })
		if (!user) throw new NoUserHereError()
		const existing = await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: user.id } } })
		if (existing) return false
		await tx.teamMember.create({ data: { teamId: team.id, userId: user.id } })
		await record(tx, organizationId, context, 'team.member_added', team, { userId: user.id, email: user.email })
		return true
	})
	try {
		return await add
	} catch (error) {
		// Added by a concurrent request: the outcome asked for.
		if (isUniqueViolation(error)) return false
		throw error
	}
}

/** Removes a member; false when they were not one (already removed, or not of this org). */
export function removeTeamMember(organizationId: string, teamId: string, userId: string, context: AuditContext = {}) {
	return db().$transaction(async (tx) => {
		const team = await ownedTeam(tx, organizationId, teamId)
		const user = await tx.user.findFirst({ where: { id: userId, organizationId }, select: { id: true, email: true } })
		if (!user) return false
		const { count } = await tx.teamMember.deleteMany({ where: { teamId: team.id, userId: user.id } })
		if (count === 0) return false
		await record(tx, organizationId, context, 'team.member_removed', team, { userId: user.id, email: user.email })
		return true
	})
}
