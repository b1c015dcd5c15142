import { type Invitation } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { config } from '../../utils/config.server'
import { sha256 } from '../../utils/crypto.server'
import { db, type Tx, isUniqueViolation } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { continueAfterFirstFactor, type NextStep } from '../mfa/sign-in-flow.server'
import { hashPassword } from '../passwords/hash.server'
import { checkNewPassword } from '../passwords/new-password.server'
import { actRefusal, grantRefusal, roleCovers, type GrantOrg } from '../permissions/grants.server'
import { isLastEnabledOwner } from '../users/admin-users.server'
import { wipeUnclaimedAccount } from '../users/reset.server'
import { invitationStatus, isClaimedAccount, type InvitationStatus } from './invitations.server'
import { currentInviter } from './inviter.server'

/**
 * Using an invitation link (/invitations/accept). Rules enforced here:
 * - the token is looked up by its sha256 within the request's org only: another org's token is
 *   as unknown as a made-up one;
 * - reading (GET) never uses it; accepting claims it with one conditional update in the
 *   transaction that creates or changes the user, so two clicks cannot both win;
 * - whoever sent it must still be allowed to give its role (permissions/grants.server.ts), checked
 *   when it is read and again, with the sender's row locked, when it is accepted;
 * - no account for the address: a new user with the invited role, a verified email (the link
 *   proved the address) and a session;
 * - an account whose address was never verified is unclaimed (anyone can sign up any address):
 *   the invitee takes it as a new user would, after everything its signer-up set up is wiped;
 * - an account with a verified address accepts only while signed in as itself, and gets the
 *   invited role only when that role covers the one it holds (never lowered, never swapped).
 */

/** randomToken(32) is 43 base64url characters; anything else is not ours and costs no query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export type LinkProblem = { status: 400 | 403 | 409 | 410; title: string; message: string; signInAs?: string }

const PROBLEMS: Record<Exclude<InvitationStatus, 'pending'> | 'invalid' | 'senderLost' | 'lastOwner', LinkProblem> = {
	invalid: { status: 400, title: 'This invitation link is not valid', message: 'Check that you opened the whole link from the email, or ask for a new invitation.' },
	expired: { status: 410, title: 'This invitation has expired', message: 'Invitations last 7 days. Ask the person who invited you to send a new one.' },
	accepted: { status: 410, title: 'This invitation was already used', message: 'Each invitation link works once. If it was you, sign in with your email.' },
	revoked: { status: 410, title: 'This invitation was withdrawn', message: 'It can no longer be used. Ask for a new invitation if you still need one.' },
	senderLost: { status: 403, title: 'This invitation can no longer be used', message: 'Whoever sent it may no longer give the role it offers. Ask for a new invitation.' },
	lastOwner: { status: 409, title: 'This invitation can no longer be used', message: 'This address belongs to the only owner of the organization, and the invitation offers another role. Ask for a new invitation.' },
}

/** Shown to a browser not signed in as the account the invitation is for. */
export function signInProblem(email: string): LinkProblem {
	return { status: 403, title: 'Sign in to accept', message: `This address already has an account here. Sign in as ${email} to accept the invitation: you come back here afterwards.`, signInAs: email }
}

export function wrongAccountProblem(email: string, signedInAs: string): LinkProblem {
	return { status: 403, title: 'This invitation is for another account', message: `You are signed in as ${signedInAs}. This invitation is for ${email}: sign out, then sign in as ${email} to accept it.` }
}

type InvitedAccount = { id: string; email: string; role: string; emailVerified: boolean; disabledAt: Date | null }
export type OpenInvitation = { invitation: Invitation; account: InvitedAccount | null }

const ACCOUNT_FIELDS = { id: true, email: true, role: true, emailVerified: true, disabledAt: true } as const

/**
 * Whether the invitation's sender may still give what accepting would give. An unclaimed account
 * takes the invited role whatever it held, so the sender must also be one who may change that.
 */
async function senderMayGrant(tx: Tx, org: GrantOrg, invitation: Invitation, account: InvitedAccount | null) {
	const sender = await currentInviter(tx, org, invitation)
	if (!sender || (await grantRefusal(sender, invitation.role, tx))) return false
	return !account || isClaimedAccount(account) || (await actRefusal(sender, account.role, tx)) === null
}

/** The pending invitation behind `token` in this org, or the problem to show. Reads only. */
export async function lookUpInvitation(org: GrantOrg, token: string | null | undefined): Promise<OpenInvitation | LinkProblem> {
	if (!token || !TOKEN_SHAPE.test(token)) return PROBLEMS.invalid
	const invitation = await db().invitation.findFirst({ where: { organizationId: org.id, tokenHash: sha256(token) } })
	if (!invitation) return PROBLEMS.invalid
	const status = invitationStatus(invitation)
	if (status !== 'pending') return PROBLEMS[status]
	const account = await db().user.findUnique({ where: { organizationId_email: { organizationId: org.id, email: invitation.email } }, select: ACCOUNT_FIELDS })
	if (!(await db().$transaction((tx) => senderMayGrant(tx, org, invitation, account)))) return PROBLEMS.senderLost
	return { invitation, account }
}

export function isLinkProblem(value: OpenInvitation | LinkProblem): value is LinkProblem {
	return 'status' in value
}

/** No account for the address, or one nobody proved is theirs: the invitee chooses a password. */
export function isForNewUser(open: OpenInvitation) {
	return !open.account || !isClaimedAccount(open.account)
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

async function lockAccount(tx: Tx, organizationId: string, id: string) {
	const [account] = await tx.$queryRaw<InvitedAccount[]>`
		SELECT id, email, role, "emailVerified", "disabledAt" FROM "User" WHERE id = ${id} AND "organizationId" = ${organizationId} FOR UPDATE`
	return account ?? null
}

/** Ends an accepting transaction with the problem to show; nothing it wrote stays. */
class Refusal extends Error {
	constructor(readonly problem: LinkProblem) {
		super(problem.title)
	}
}

export type AcceptOutcome = { ok: true; next: NextStep } | { ok: false; problem: LinkProblem } | { ok: false; passwordErrors: string[] }

function auditContext(context: RequestContext, actorId: string) {
	return { organizationId: context.org.id, actorId, ip: context.ip, userAgent: context.userAgent }
}

/**
 * The invitee chooses a password and the account starts: a new user, or the unclaimed account of
 * the address, wiped first. The account, its role and (for a new user) its session start in one
 * transaction.
 */
export async function acceptAsNewUser(request: Request, context: RequestContext, open: OpenInvitation, password: string): Promise<AcceptOutcome> {
	const { invitation } = open
	const check = await checkNewPassword(context.org, password, invitation.email)
	if (!check.ok) return { ok: false, passwordErrors: [check.message] }
	const hash = await hashPassword(check.password, config().secrets.passwordPepper)
	try {
		if (open.account) {
			const user = await db().$transaction((tx) => claimUnverifiedAccount(tx, context, invitation, open.account!.id, hash))
			// After the commit: the wiped factors must be gone for the sign-in to see none.
			return { ok: true, next: await continueAfterFirstFactor(request, context, { user, method: 'email-verification', redirectTo: '/account' }) }
		}
		const next = await db().$transaction(async (tx) => {
			if (!(await senderMayGrant(tx, context.org, invitation, null))) throw new Refusal(PROBLEMS.senderLost)
			if (!(await claim(tx, invitation))) throw new Refusal(PROBLEMS.accepted)
			const user = await tx.user.create({
				data: { organizationId: context.org.id, email: invitation.email, emailVerified: true, role: invitation.role, password: { create: { hash } } },
			})
			const audit = auditContext(context, user.id)
			await recordAuditEvent(tx, { ...audit, type: 'user.created', targetType: 'user', targetId: user.id, data: { email: user.email, role: user.role, via: 'invitation' } })
			await recordAuditEvent(tx, { ...audit, type: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email, role: invitation.role, userId: user.id, newUser: true } })
			return continueAfterFirstFactor(request, context, { user, method: 'email-verification', redirectTo: '/account' }, tx)
		})
		return { ok: true, next }
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, problem: error.problem }
		// The address got an account in between (unique violation): look again.
		if (isUniqueViolation(error)) return { ok: false, problem: PROBLEMS.accepted }
		throw error
	}
}

async function claimUnverifiedAccount(tx: Tx, context: RequestContext, invitation: Invitation, accountId: string, hash: string) {
	const org = context.org
	const account = await lockAccount(tx, org.id, accountId)
	// Verified, disabled or deleted meanwhile: this page no longer applies; opening the link again tells what does.
	if (!account || isClaimedAccount(account)) throw new Refusal({ ...PROBLEMS.accepted, status: 409, title: 'This invitation could not be used just now', message: 'The account of this address changed meanwhile. Open the link from the email again.' })
	if (!(await senderMayGrant(tx, org, invitation, account))) throw new Refusal(PROBLEMS.senderLost)
	if (account.role !== invitation.role && (await isLastEnabledOwner(tx, org.id, account))) throw new Refusal(PROBLEMS.lastOwner)
	if (!(await claim(tx, invitation))) throw new Refusal(PROBLEMS.accepted)
	const wiped = await wipeUnclaimedAccount(tx, org.id, account.id)
	const user = await tx.user.update({ where: { id: account.id }, data: { emailVerified: true, role: invitation.role, name: null, password: { create: { hash } } } })
	const audit = auditContext(context, user.id)
	await recordAuditEvent(tx, { ...audit, type: 'user.unverified_account_claimed', targetType: 'user', targetId: user.id, data: { email: user.email, from: account.role, to: user.role, invitationId: invitation.id, ...wiped } })
	await recordAuditEvent(tx, { ...audit, type: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email, role: invitation.role, userId: user.id, newUser: true, unverifiedAccountClaimed: true } })
	return user
}

/**
 * The account of a verified address accepts while signed in as itself (`signedIn`): the invited
 * role is applied when it covers the one held; then on to the account page.
 */
export async function acceptAsAccount(context: RequestContext, open: OpenInvitation, signedIn: { id: string; email: string } | null): Promise<AcceptOutcome & { roleChanged?: boolean }> {
	const { invitation, account } = open
	if (!account) return { ok: false, problem: PROBLEMS.invalid }
	if (!signedIn) return { ok: false, problem: signInProblem(account.email) }
	if (signedIn.id !== account.id) return { ok: false, problem: wrongAccountProblem(account.email, signedIn.email) }
	try {
		const raised = await db().$transaction(async (tx) => {
			const current = await lockAccount(tx, context.org.id, account.id)
			if (!current) throw new Refusal(PROBLEMS.invalid)
			if (!(await senderMayGrant(tx, context.org, invitation, current))) throw new Refusal(PROBLEMS.senderLost)
			if (!(await claim(tx, invitation))) throw new Refusal(PROBLEMS.accepted)
			const raise = current.role !== invitation.role && (await roleCovers(context.org, invitation.role, current.role, tx))
			const audit = auditContext(context, current.id)
			if (raise) {
				await tx.user.update({ where: { id: current.id }, data: { role: invitation.role } })
				await recordAuditEvent(tx, { ...audit, type: 'user.role_changed', targetType: 'user', targetId: current.id, data: { email: current.email, from: current.role, to: invitation.role, via: 'invitation' } })
			}
			await recordAuditEvent(tx, { ...audit, type: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, data: { email: invitation.email, role: invitation.role, userId: current.id, newUser: false, roleApplied: raise } })
			return raise
		})
		return { ok: true, next: { step: { kind: 'continue', to: '/account' }, redirectTo: '/account', setCookies: [] }, roleChanged: raised }
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, problem: error.problem }
		throw error
	}
}
