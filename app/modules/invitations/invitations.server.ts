import { randomToken, sha256 } from '../../utils/crypto.server'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { orgLink, sendEmail } from '../email/mailer.server'
import { type ResolvedOrg } from '../orgs/resolve.server'
import { checkInvitationLimit, invitationLimitMessage } from '../ratelimit/invitation-limit.server'
import { BUILT_IN_ROLE_NAMES, isBuiltInRole } from '../permissions/statements'
import { emailSchema } from '../users/email'

/**
 * Invitations: an email with a single-use link (256-bit token, only its sha256 stored) that lets
 * its holder join the org with a role. Rules enforced here:
 * - the address has no user in the org yet (409), the role exists in the org (400);
 * - one pending invitation per address: sending again revokes the earlier ones;
 * - resending mints a new token, so the old link dies;
 * - every change writes its audit event in the same transaction;
 * - every email (send or resend) counts against the invitation limits (ratelimit/invitation-limit):
 *   over them nothing is written and nothing is sent (429).
 * Who may invite an owner is the caller's rule (the console lets only owners; the operator
 * console invites an onboarded org's first owner).
 */
export const INVITATION_DAYS = 7
const DAY_MS = 24 * 3_600_000

/** An org to invite into: the request's, or (operator console) an org just created. */
export type InviteOrg = Pick<ResolvedOrg, 'id' | 'name' | 'origin' | 'settings' | 'brandColor' | 'themeId'>
export type InviteContext = AuditContext & { org: InviteOrg }

export type InviteResult = { ok: true; invitationId: string } | { ok: false; status: 409 | 400; message: string } | { ok: false; status: 429; message: string; retryAfterSeconds: number }

export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'revoked'


export const EMAIL_TAKEN = 'That address already has an account here.'
export const NO_SUCH_ROLE = 'No such role in this organization.'

export function invitationStatus(invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
	if (invitation.acceptedAt) return 'accepted'
	if (invitation.revokedAt) return 'revoked'
	if (invitation.expiresAt <= now) return 'expired'
	return 'pending'
}

/** True when `role` is a built-in role or one of the org's custom roles. */
export async function roleExists(organizationId: string, role: string): Promise<boolean> {
	if (isBuiltInRole(role)) return true
	if (role.length === 0 || role.length > 50) return false
	return (await db().role.count({ where: { organizationId, name: role } })) > 0
}

function auditFields(context: InviteContext) {
	return { actorId: context.actorId ?? null, ip: context.ip, userAgent: context.userAgent }
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

/**
 * Invites `email` into `context.org` with `role`, and mails the link. Used by the org console and
 * by the operator console (an onboarded org's first admin, as owner).
 */
export async function inviteUser(context: InviteContext, input: { email: string; role: string; invitedById?: string | null }): Promise<InviteResult> {
	const org = context.org
	const parsed = emailSchema.safeParse(input.email)
	if (!parsed.success) return { ok: false, status: 400, message: parsed.error.issues[0]?.message ?? 'Enter a valid email address' }
	const email = parsed.data
	if (!(await roleExists(org.id, input.role))) return { ok: false, status: 400, message: NO_SUCH_ROLE }
	const limit = await checkInvitationLimit(org.id, email)
	if (!limit.allowed) return { ok: false, status: 429, message: invitationLimitMessage(limit.retryAfterSeconds), retryAfterSeconds: limit.retryAfterSeconds }
	const { token, tokenHash, expiresAt } = newToken()
	const outcome = await db().$transaction(async (tx) => {
		if (await tx.user.findUnique({ where: { organizationId_email: { organizationId: org.id, email } }, select: { id: true } })) return null
		const superseded = await revokePending(tx, org.id, email)
		const invitation = await tx.invitation.create({ data: { organizationId: org.id, email, role: input.role, tokenHash, invitedById: input.invitedById ?? null, expiresAt } })
		await recordAuditEvent(tx, {
			organizationId: org.id,
			type: 'invitation.sent',
			targetType: 'invitation',
			targetId: invitation.id,
			data: { email, role: input.role, expiresAt: expiresAt.toISOString(), superseded: superseded.count },
			...auditFields(context),
			actorId: context.actorId ?? input.invitedById ?? null,
		})
		return invitation
	})
	if (!outcome) return { ok: false, status: 409, message: EMAIL_TAKEN }
	await mailInvitation(org, outcome, token)
	return { ok: true, invitationId: outcome.id }
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
 * 7-day expiry, and the email again.
 */
export async function resendInvitation(context: InviteContext, invitationId: string) {
	const org = context.org
	const existing = await db().invitation.findFirst({ where: { id: invitationId, organizationId: org.id }, select: { email: true } })
	if (!existing) throw new InvitationNotFoundError()
	const limit = await checkInvitationLimit(org.id, existing.email)
	if (!limit.allowed) throw new InvitationLimitError(limit.retryAfterSeconds)
	const { token, tokenHash, expiresAt } = newToken()
	const invitation = await db().$transaction(async (tx) => {
		const found = await tx.invitation.findFirst({ where: { id: invitationId, organizationId: org.id } })
		if (!found) throw new InvitationNotFoundError()
		if (found.acceptedAt || found.revokedAt) throw new InvitationClosedError(invitationStatus(found))
		const updated = await tx.invitation.update({ where: { id: found.id }, data: { tokenHash, expiresAt } })
		await recordAuditEvent(tx, { organizationId: org.id, type: 'invitation.resent', targetType: 'invitation', targetId: found.id, data: { email: found.email, role: found.role, expiresAt: expiresAt.toISOString() }, ...auditFields(context) })
		return updated
	})
	await mailInvitation(org, invitation, token)
	return invitation
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

/** Roles an inviter may offer: the built-in ones (owner only to owners) and the org's custom roles. */
export async function invitableRoles(organizationId: string, mayInviteOwner: boolean) {
	const custom = await db().role.findMany({ where: { organizationId }, orderBy: { name: 'asc' }, select: { name: true } })
	return [...BUILT_IN_ROLE_NAMES.filter((name) => name !== 'owner' || mayInviteOwner), ...custom.map((role) => role.name)]
}

/** The role an invitation of this org offers, or null when there is no such invitation here. */
export async function invitationRole(organizationId: string, invitationId: string) {
	return (await db().invitation.findFirst({ where: { id: invitationId, organizationId }, select: { role: true } }))?.role ?? null
}
