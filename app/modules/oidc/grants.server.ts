import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'

type GrantPayload = { accountId?: string; clientId?: string; openid?: { scope?: string }; iat?: number }

/**
 * Remembered consent: oidc-provider's Grant rows for one user, joined to the org's apps. Revoking
 * one deletes the grant and every token issued under it, so the app must ask again.
 */
export async function listUserGrants(organizationId: string, userId: string) {
	const rows = await db().oidcPayload.findMany({
		where: { organizationId, model: 'Grant', payload: { path: ['accountId'], equals: userId }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
	})
	const grants = rows.map((row) => ({ grantId: row.id, ...(row.payload as GrantPayload) }))
	const apps = await db().application.findMany({ where: { organizationId, clientId: { in: grants.map((grant) => grant.clientId ?? '') } } })
	return grants
		.map((grant) => {
			const app = apps.find((candidate) => candidate.clientId === grant.clientId)
			return app && { grantId: grant.grantId, appName: app.name, clientId: app.clientId, firstParty: app.firstParty, scopes: (grant.openid?.scope ?? '').split(' ').filter(Boolean), grantedAt: grant.iat ? new Date(grant.iat * 1000).toISOString() : null }
		})
		.filter((grant) => grant !== undefined)
}

export class GrantNotFoundError extends Error {}

export async function revokeUserGrant(organizationId: string, userId: string, grantId: string, context: AuditContext = {}) {
	await db().$transaction(async (tx) => {
		const grant = await tx.oidcPayload.findFirst({ where: { organizationId, model: 'Grant', id: grantId, payload: { path: ['accountId'], equals: userId } } })
		if (!grant) throw new GrantNotFoundError('No such connected app')
		await tx.oidcPayload.deleteMany({ where: { organizationId, OR: [{ model: 'Grant', id: grantId }, { grantId }] } })
		await recordAuditEvent(tx, {
			organizationId,
			type: 'oidc.consent_revoked',
			actorId: userId,
			targetType: 'grant',
			targetId: grantId,
			data: { clientId: (grant.payload as GrantPayload).clientId },
			...context,
		})
	})
}
