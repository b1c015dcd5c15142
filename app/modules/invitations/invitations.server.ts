import { type Invitation } from '../../generated/prisma/client'
import { randomToken, sha256 } from '../../utils/crypto.server'
import { db, type Tx } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { orgLink, sendEmail } from '../email/mailer.server'
import { type ResolvedOrg } from '../orgs/resolve.server'
import { actRefusal, grantRefusal, type ActRefusal, type Actor } from '../permissions/grants.server'
import { checkInvitationLimit, invitationLimitMessage } from '../ratelimit/invitation-limit.server'
import { emailSchema } from '../users/email'
import { inviterColumns } from './inviter.server'

/**
 * Invitations: an email with a single-use link (256-bit token, only its sha256 stored) that lets
 * its holder join the org with a role. Rules enforced here:
 * - the role exists in the org (400) and the sender may give it (403): the one rule of
 *   permissions/grants.server.ts, for a console user, an API key or an operator alike; the
 *   sender is recorded on the invitation, and accepting checks them again as they are then;
 * - the address has no claimed account in the org (409): an account whose address was never
 *   verified is unclaimed (anyone can sign up any address) and may be invited, by someone who
 *   may act on its role; accepting then hands it to the invitee (accept.server.ts);
 * - one pending invitation per address: sending again revokes the earlier ones;
 * - resending mints a new token, so the old link dies, and makes the resender its sender;
 * - every change writes its audit event in the same transaction;
 * - every email (send or resend) counts against the invitation limits (ratelimit/invitation-limit):
 *   over them nothing is written and nothing is sent (429).
 */
export const INVITATION_DAYS = 7
const DAY_MS = 24 * 3_600_000

/** An org to invite into: the request's, or (operator console) an org just created. */
export type InviteOrg = Pick<ResolvedOrg, 'id' | 'name' | 'origin' | 'settings' | 'branding' | 'senderDomains'>
export type InviteContext = AuditContext & { org: InviteOrg }

export type InviteResult =
	| { ok: true; invitationId: string }
	/** `field`: the form field the message belongs to. */
	| { ok: false; status: 400 | 409; field: 'email' | 'role'; message: string }
	| { ok: false; status: 403; field: 'email' | 'role'; reason: ActRefusal; message: string }
	| { ok: false; status: 429; message: string; retryAfterSeconds: number }

export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'revoked'


export const EMAIL_TAKEN = 'That address already has an account here.'
export const NO_SUCH_ROLE = 'No such role in this organization.'
const GRANT_MESSAGES: Record<ActRefusal, string> = {
	owner_only: 'Only an owner can invite an owner.',
	beyond: 'You can only invite to a role that grants no more than your own.',
}
const ACCOUNT_BEYOND = 'That address has an unverified account here whose role grants more than your own.'

/** Thrown when the sender may not give the invitation's role (or act on the account it would take). */
export class InvitationGrantError extends Error {
	constructor(public readonly reason: ActRefusal) {
		super(GRANT_MESSAGES[reason])
	}
}

export function invitationStatus(invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
	if (invitation.acceptedAt) return 'accepted'
	if (invitation.revokedAt) return 'revoked'
	if (invitation.expiresAt <= now) return 'expired'
	return 'pending'
}

function auditFields(context: InviteContext, by?: Actor | null) {
	return { actorId: context.actorId ?? by?.id ?? null, ip: context.ip, userAgent: context.userAgent }
}

/**
 * An account that blocks inviting its address: one whose address was verified (its owner proved
 * it), or a disabled one (an admin decided about it). Any other account is unclaimed.
 */
export function isClaimedAccount(user: { emailVerified: boolean; disabledAt: Date | null }) {
	return user.emailVerified || user.disabledAt !== null
}

/** The inviter's name for the email: only someone of the same org is named (an operator is not). */
async function inviterName(organizationId: string, invitedById: string | null | undefined) {
	if (!invitedById) return null
	const inviter = await db().user.findFirst({ where: { id: invitedById, organizationId }, select: { name: true, email: true } })
	return inviter ? (inviter.name ?? inviter.email) : null
}

async function mailInvitation(org: InviteOrg, invitation: { email: string; role: string; invitedById: string | null }, token: string) {
	await sendEmail(org, invitation.email, 'invitation', {
		url: orgLink(org, '/invitations/accept', { token }),
		inviterName: await inviterName(org.id, invitation.invitedById),
		role: invitation.role,
		expiresInDays: INVITATION_DAYS,
	})
}

function newToken() {
	const token = randomToken(32)
	return { token, tokenHash: sha256(token), expiresAt: new Date(Date.now() + INVITATION_DAYS * DAY_MS) }
}

/** Pending invitations of one address are superseded by a new one. */
async function revokePending(tx: Tx, organizationId: string, email: string) {
	return tx.invitation.updateMany({ where: { organizationId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } })
}

class Refused extends Error {
	constructor(readonly result: Extract<InviteResult, { ok: false }>) {
		super(result.message)
	}
}

/**
 * Invites `email` into `context.org` with `role` on behalf of `by` (who is recorded as the sender),
 * and mails the link. Used by the org console, the API, and the operator console (an onboarded
 * org's first admin, as owner).
 */
export async function inviteUser(context: InviteContext, input: { email: string; role: string; by: Actor }): Promise<InviteResult> {
	const org = context.org
	const parsed = emailSchema.safeParse(input.email)
	if (!parsed.success) return { ok: false, status: 400, field: 'email', message: parsed.error.issues[0]?.message ?? 'Enter a valid email address' }
	const email = parsed.data
	const refusal = await grantRefusal(input.by, input.role)
	if (refusal === 'unknown_role') return { ok: false, status: 400, field: 'role', message: NO_SUCH_ROLE }
	if (refusal) return { ok: false, status: 403, field: 'role', reason: refusal, message: GRANT_MESSAGES[refusal] }
	const limit = await checkInvitationLimit(org.id, email)
	if (!limit.allowed) return { ok: false, status: 429, message: invitationLimitMessage(limit.retryAfterSeconds), retryAfterSeconds: limit.retryAfterSeconds }
	const { token, tokenHash, expiresAt } = newToken()
	try {
		const invitation = await db().$transaction(async (tx) => {
			const account = await tx.user.findUnique({ where: { organizationId_email: { organizationId: org.id, email } }, select: { role: true, emailVerified: true, disabledAt: true } })
			if (account && isClaimedAccount(account)) throw new Refused({ ok: false, status: 409, field: 'email', message: EMAIL_TAKEN })
			// Accepting hands an unclaimed account the invited role: the sender must be one who may change its current one.
			const overAccount = account ? await actRefusal(input.by, account.role, tx) : null
			if (overAccount) throw new Refused({ ok: false, status: 403, field: 'email', reason: overAccount, message: ACCOUNT_BEYOND })
			const superseded = await revokePending(tx, org.id, email)
			const created = await tx.invitation.create({ data: { organizationId: org.id, email, role: input.role, tokenHash, ...inviterColumns(input.by), expiresAt } })
			await recordAuditEvent(tx, {
				organizationId: org.id,
				type: 'invitation.sent',
				targetType: 'invitation',
				targetId: created.id,
				data: { email, role: input.role, expiresAt: expiresAt.toISOString(), superseded: superseded.count, ...(account ? { unverifiedAccount: true } : {}) },
				...auditFields(context, input.by),
			})
			return created
		})
		await mailInvitation(org, invitation, token)
		return { ok: true, invitationId: invitation.id }
	} catch (error) {
		if (error instanceof Refused) return error.result
		throw error
	}
}

export class InvitationNotFoundError extends Error {
	constructor() {
		super('No such invitation in this organization')
	}
}

/** Thrown when resending would go over the invitation limits: nothing changed, nothing sent. */
export class InvitationLimitError extends Error {
	constructor(public readonly retryAfterSeconds: number) {
		super(invitationLimitMessage(retryAfterSeconds))
	}
}

/** Thrown when resending an invitation that was accepted or revoked: nothing to resend. */
export class InvitationClosedError extends Error {
	constructor(public readonly status: InvitationStatus) {
		super(`This invitation was ${status}; send a new one instead.`)
	}
}

/**
 * A new link for a pending or expired invitation: new token (the old link dies at once), a fresh
 * 7-day expiry, and the email again. `by` must be allowed to give its role, and becomes its
 * sender (the one accepting checks); `by: null` (sign-up of an invited address) keeps the sender.
 */
async function reissue(context: InviteContext, invitationId: string, by: Actor | null, via?: string) {
	const org = context.org
	const existing = await db().invitation.findFirst({ where: { id: invitationId, organizationId: org.id }, select: { email: true, role: true } })
	if (!existing) throw new InvitationNotFoundError()
	const refusal = by ? await actRefusal(by, existing.role) : null
	if (refusal) throw new InvitationGrantError(refusal)
	const limit = await checkInvitationLimit(org.id, existing.email)
	if (!limit.allowed) throw new InvitationLimitError(limit.retryAfterSeconds)
	const { token, tokenHash, expiresAt } = newToken()
	const invitation = await db().$transaction(async (tx) => {
		const found = await tx.invitation.findFirst({ where: { id: invitationId, organizationId: org.id } })
		if (!found) throw new InvitationNotFoundError()
		if (found.acceptedAt || found.revokedAt) throw new InvitationClosedError(invitationStatus(found))
		const updated = await tx.invitation.update({ where: { id: found.id }, data: { tokenHash, expiresAt, ...(by ? inviterColumns(by) : {}) } })
		await recordAuditEvent(tx, {
			organizationId: org.id,
			type: 'invitation.resent',
			targetType: 'invitation',
			targetId: found.id,
			data: { email: found.email, role: found.role, expiresAt: expiresAt.toISOString(), ...(via ? { via } : {}) },
			...auditFields(context, by),
		})
		return updated
	})
	await mailInvitation(org, invitation, token)
	return invitation
}

export async function resendInvitation(context: InviteContext, invitationId: string, by: Actor): Promise<Invitation> {
	return reissue(context, invitationId, by)
}

/**
 * The pending (unexpired) invitation a sign-up of `email` goes through instead of making an
 * account, or null: none, or the address has a claimed account (sign-up then tells its owner).
 */
export async function invitationInsteadOfSignUp(organizationId: string, email: string) {
	const invitation = await db().invitation.findFirst({ where: { organizationId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: 'desc' } })
	if (!invitation) return null
	const account = await db().user.findUnique({ where: { organizationId_email: { organizationId, email } }, select: { emailVerified: true, disabledAt: true } })
	return account && isClaimedAccount(account) ? null : invitation
}

/**
 * Someone signs up an address that has a pending invitation: the invitation is the way in, so its
 * email goes out again (with a new link, from the same sender) instead of an account being made.
 * Within the invitation limits; over them, or on any failure, nothing is sent and nothing is said
 * (the sign-up page answers the same for every address).
 */
export async function remindInvitee(context: InviteContext, invitation: Pick<Invitation, 'id'>) {
	try {
		await reissue(context, invitation.id, null, 'sign_up')
	} catch (error) {
		if (error instanceof InvitationLimitError || error instanceof InvitationClosedError || error instanceof InvitationNotFoundError) return
		logger.error({ err: error, org: context.org.id }, 'resending an invitation at sign-up failed')
	}
}

/** Revokes a pending invitation; an accepted or already revoked one is left as it is (idempotent). */
export async function revokeInvitation(context: InviteContext, invitationId: string) {
	const org = context.org
	return db().$transaction(async (tx) => {
		const found = await tx.invitation.findFirst({ where: { id: invitationId, organizationId: org.id } })
		if (!found) throw new InvitationNotFoundError()
		if (found.acceptedAt || found.revokedAt) return found
		const revoked = await tx.invitation.update({ where: { id: found.id }, data: { revokedAt: new Date() } })
		await recordAuditEvent(tx, { organizationId: org.id, type: 'invitation.revoked', targetType: 'invitation', targetId: found.id, data: { email: found.email, role: found.role }, ...auditFields(context) })
		return revoked
	})
}

export async function listInvitations(organizationId: string) {
	const now = new Date()
	const rows = await db().invitation.findMany({ where: { organizationId }, orderBy: { createdAt: 'desc' }, take: 500 })
	return rows.map((row) => ({ id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, expiresAt: row.expiresAt, status: invitationStatus(row, now) }))
}

