import { type z } from 'zod'
import { type RequestContext } from '../../context'
import { type Invitation } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { InvitationNotFoundError, invitationStatus, inviteUser, revokeInvitation } from '../invitations/invitations.server'
import { keyActor } from '../permissions/grants.server'
import { ApiError } from './errors'
import { toPage } from './paging'
import { type createInvitationBodySchema, type invitationSchema } from './registry'
import { cursorPosition, keyCannotActOn } from './users.server'

/** Invitations through the Management API: the console's rules (app/modules/invitations), a key's limits. */
type Ctx = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>

function serializeInvitation(invitation: Invitation): z.input<typeof invitationSchema> {
	return {
		id: invitation.id,
		email: invitation.email,
		role: invitation.role,
		status: invitationStatus(invitation),
		createdAt: invitation.createdAt.toISOString(),
		expiresAt: invitation.expiresAt.toISOString(),
	}
}

/** Newest first: ids are cuids, which sort by creation time, so the keyset is the id. */
export async function listInvitationsPage(context: Ctx, query: { cursor?: string; limit: number }) {
	const before = cursorPosition(query.cursor)
	const rows = await db().invitation.findMany({ where: { organizationId: context.org.id, ...(before ? { id: { lt: before } } : {}) }, orderBy: { id: 'desc' }, take: query.limit + 1 })
	return toPage(rows, query.limit, (invitation) => invitation.id, serializeInvitation)
}

/**
 * A key may offer only a role that can do no more than the key itself (the console's rule, in
 * inviteUser). The key is recorded as the sender: once revoked, its invitations raise nobody.
 */
export async function createInvitationWithKey(key: AuthenticatedKey, context: RequestContext, body: z.output<typeof createInvitationBodySchema>) {
	const sent = await inviteUser({ org: context.org, ip: context.ip, userAgent: context.userAgent }, { email: body.email, role: body.role, by: keyActor(context.org, key) })
	if (!sent.ok) {
		if (sent.status === 429) throw new ApiError('rate_limited', sent.message, undefined, 429, { 'Retry-After': String(sent.retryAfterSeconds) })
		if (sent.status === 409) throw new ApiError('conflict', sent.message, [{ path: 'body.email', message: sent.message }])
		if (sent.status === 403) throw sent.field === 'role' ? keyCannotActOn(body.role) : new ApiError('forbidden', sent.message, [{ path: 'body.email', message: sent.message }])
		if (sent.field === 'role') throw new ApiError('invalid_request', 'No such role in this organization.', [{ path: 'body.role', message: `No role named "${body.role}" (GET /api/v1/roles lists them)` }])
		throw new ApiError('invalid_request', sent.message, [{ path: 'body', message: sent.message }])
	}
	const invitation = await db().invitation.findUniqueOrThrow({ where: { id: sent.invitationId } })
	return serializeInvitation(invitation)
}

export async function revokeInvitationWithKey(key: AuthenticatedKey, context: Ctx, id: string) {
	try {
		await revokeInvitation({ org: context.org, actorId: key.id, ip: context.ip, userAgent: context.userAgent }, id)
	} catch (error) {
		if (error instanceof InvitationNotFoundError) throw new ApiError('not_found', 'No such invitation in this organization.')
		throw error
	}
	return null
}
