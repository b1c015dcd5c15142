import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { revokeUserGrants } from '../oidc/grants.server'
import { regenerateBackupCodes } from './backup-codes.server'
import { completeSecondFactor, secondFactorSubject } from './complete.server'
import { loadUserFactors } from './factors.server'
import { mfaRequiredFor, usableSecondFactors } from './policy'
import { confirmTotpEnrolment, removeTotp } from './totp.server'

type User = { id: string; email: string; role: string; organizationId: string }

const auditOf = (context: RequestContext, user: User) => ({
	organizationId: context.org.id,
	actorId: user.id,
	targetType: 'user',
	targetId: user.id,
	ip: context.ip,
	userAgent: context.userAgent,
})

export type TotpConfirmation = { ok: true; setCookies: string[] } | { ok: false; reason: 'invalid' | 'replayed' }

/**
 * The first code from the app makes the secret a factor. In the same transaction: the audit event
 * and, for a session without a second factor yet, a rotation to aal2 (the code just proved the
 * factor). The caller must redirect: the request's cookie names the session just revoked.
 */
export async function confirmTotp(request: Request, context: RequestContext, user: User, code: string, session: { aal: string }): Promise<TotpConfirmation> {
	const subject = session.aal === 'aal2' ? null : await secondFactorSubject(request, context)
	return db().$transaction(async (tx) => {
		const checked = await confirmTotpEnrolment(tx, user.id, code)
		if (!checked.ok) return checked
		await recordAuditEvent(tx, { ...auditOf(context, user), type: 'mfa.totp_enrolled', data: { drift: checked.delta } })
		const upgraded = subject ? await completeSecondFactor(request, context, { ...subject, kind: 'step-up' }, 'totp', tx) : null
		return { ok: true as const, setCookies: upgraded?.setCookies ?? [] }
	})
}

/** Removing the last factor is refused where the org's policy requires one of this user. */
export async function removeTotpFactor(context: RequestContext, user: User): Promise<{ ok: true } | { ok: false; message: string }> {
	const factors = await loadUserFactors(user.id)
	const remaining = usableSecondFactors(context.org.settings, { ...factors, totp: false })
	if (factors.totp && remaining.length === 0 && mfaRequiredFor(context.org.settings, user)) {
		return { ok: false, message: 'Your organization requires two-step verification: add another method before you remove this one.' }
	}
	await db().$transaction(async (tx) => {
		if (await removeTotp(tx, user.id)) await recordAuditEvent(tx, { ...auditOf(context, user), type: 'mfa.totp_removed', data: { grantsRevoked: await revokeUserGrants(tx, context.org.id, user.id) } })
	})
	return { ok: true }
}

export async function newBackupCodes(context: RequestContext, user: User): Promise<string[]> {
	return db().$transaction(async (tx) => {
		const codes = await regenerateBackupCodes(tx, user)
		await recordAuditEvent(tx, { ...auditOf(context, user), type: 'mfa.backup_codes_generated', data: { count: codes.length } })
		return codes
	})
}
