import { type Invitation } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { config } from '../../utils/config.server'
import { sha256 } from '../../utils/crypto.server'
import { db, type Tx, isUniqueViolation } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { continueAfterFirstFactor, type NextStep } from '../mfa/sign-in-flow.server'
import { hashPassword } from '../passwords/hash.server'
import { checkNewPassword } from '../passwords/new-password.server'
import { isBuiltInRole } from '../permissions/statements'
import { invitationStatus, type InvitationStatus } from './invitations.server'

/**
 * Using an invitation link (/invitations/accept). Rules enforced here:
 * - the token is looked up by its sha256 within the request's org only: another org's token is
 *   as unknown as a made-up one;
 * - reading (GET) never uses it; accepting claims it with one conditional update in the
 *   transaction that creates or upgrades the user, so two clicks cannot both win;
 * - a new user gets the invited role, a verified email (the link proved the address) and a session;
 * - an existing user of the org (signed up meanwhile) gets the role only when it is higher, and
 *   signs in as usual.
 */

/** randomToken(32) is 43 base64url characters; anything else is not ours and costs no query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export type LinkProblem = { status: 400 | 410; title: string; message: string }

const PROBLEMS: Record<Exclude<InvitationStatus, 'pending'> | 'invalid', LinkProblem> = {
	invalid: { status: 400, title: 'This invitation link is not valid', message: 'Check that you opened the whole link from the email, or ask for a new invitation.' },
	expired: { status: 410, title: 'This invitation has expired', message: 'Invitations last 7 days. Ask the person who invited you to send a new one.' },
	accepted: { status: 410, title: 'This invitation was already used', message: 'Each invitation link works once. If it was you, sign in with your email.' },
	revoked: { status: 410, title: 'This invitation was withdrawn', message: 'It can no longer be used. Ask for a new invitation if you still need one.' },
}

export type OpenInvitation = { invitation: Invitation; existingUser: { id: string; role: string } | null }

/** The pending invitation behind `token` in this org, or the problem to show. Reads only. */
export async function lookUpInvitation(organizationId: string, token: string | null | undefined): Promise<OpenInvitation | LinkProblem> {
	if (!token || !TOKEN_SHAPE.test(token)) return PROBLEMS.invalid
	const invitation = await db().invitation.findFirst({ where: { organizationId, tokenHash: sha256(token) } })
	if (!invitation) return PROBLEMS.invalid
	const status = invitationStatus(invitation)
	if (status !== 'pending') return PROBLEMS[status]
	const existingUser = await db().user.findUnique({ where: { organizationId_email: { organizationId, email: invitation.email } }, select: { id: true, role: true } })
	return { invitation, existingUser }
}

export function isLinkProblem(value: OpenInvitation | LinkProblem): value is LinkProblem {
	return 'status' in value
}

/** member < a custom role < admin < owner: a custom role is never taken to outrank admin. */
function roleRank(role: string) {
	if (isBuiltInRole(role)) return { member: 0, admin: 2, owner: 3 }[role]
	return 1
}

export function isHigherRole(candidate: string, current: string) {
	return roleRank(candidate) > roleRank(current)
}

/** Claims the invitation; false when someone else used, revoked or let it expire first. */
async function claim(tx: Tx, invitation: Invitation) {
	const now = new Date()
	const { count } = await tx.invitation.updateMany({
		where: { id: invitation.id, tokenHash: invitation.tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
		data: { acceptedAt: now },
	})
	return count === 1
}

class LinkUsedMeanwhile extends Error {}

export type AcceptOutcome = { ok: true; next: NextStep } | { ok: false; problem: LinkProblem } | { ok: false; passwordErrors: string[] }

/** A new user chooses a password; the account, its role and its session start in one transaction. */
export async function acceptAsNewUser(request: Request, context: RequestContext, open: OpenInvitation, password: string): Promise<AcceptOutcome> {
	const { invitation } = open
	const check = await checkNewPassword(context.org, password, invitation.email)
	if (!check.ok) return { ok: false, passwordErrors: [check.message] }
	const hash = await hashPassword(check.password, config().secrets.passwordPepper)
	try {
		const next = await db().$transaction(async (tx) => {
			if (!(await claim(tx, invitation))) throw new LinkUsedMeanwhile()
			const user = await tx.user.create({
				data: { organizationId: context.org.id, email: invitation.email, emailVerified: true, role: invitation.role, password: { create: { hash } } },
			})
			const audit = { organizationId: context.org.id, actorId: user.id, ip: context.ip, userAgent: context.userAgent }
			await recordAuditEvent(tx, { ...audit, type: 'user.created', targetType: 'user', targetId: user.id, data: { email: user.email, role: user.role, via: 'invitation' } })
			await recordAuditEvent(tx, { ...audit, type: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email, role: invitation.role, userId: user.id, newUser: true } })
			return continueAfterFirstFactor(request, context, { user, method: 'email-verification', redirectTo: '/account' }, tx)
		})
		return { ok: true, next }
	} catch (error) {
		// Used by another click, or the address signed up in between (unique violation): look again.
		if (error instanceof LinkUsedMeanwhile || isUniqueViolation(error)) return { ok: false, problem: PROBLEMS.accepted }
		throw error
	}
}

/** Someone who signed up meanwhile: the role is raised when the invitation's is higher; they then sign in. */
export async function acceptAsExistingUser(context: RequestContext, open: OpenInvitation & { existingUser: { id: string; role: string } }): Promise<AcceptOutcome & { roleChanged?: boolean }> {
	const { invitation, existingUser } = open
	const raise = isHigherRole(invitation.role, existingUser.role)
	const claimed = await db().$transaction(async (tx) => {
		if (!(await claim(tx, invitation))) return false
		const audit = { organizationId: context.org.id, actorId: existingUser.id, ip: context.ip, userAgent: context.userAgent }
		if (raise) {
			await tx.user.update({ where: { id: existingUser.id }, data: { role: invitation.role } })
			await recordAuditEvent(tx, { ...audit, type: 'user.role_changed', targetType: 'user', targetId: existingUser.id, data: { from: existingUser.role, to: invitation.role, via: 'invitation' } })
		}
		await recordAuditEvent(tx, { ...audit, type: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email, role: invitation.role, userId: existingUser.id, newUser: false, roleApplied: raise } })
		return true
	})
	if (!claimed) return { ok: false, problem: PROBLEMS.accepted }
	return { ok: true, next: { step: { kind: 'continue', to: '/login?accepted=1' }, redirectTo: '/login?accepted=1', setCookies: [] }, roleChanged: raise }
}
