import { announceChange } from '../../utils/changes.server'
import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { forgetOrg } from './resolve.server'

/**
 * Suspending and resuming an org. Rules:
 * - the operator org is never suspended (its admins would lock themselves out of the console);
 * - the change and its audit events (in the org's log and in the operator org's) are one
 *   transaction, and doing what is already done writes nothing;
 * - the cached org is dropped here and announced over pg NOTIFY, so this process and every other
 *   one serve (or stop serving) the org on its next request instead of after the cache's 30 s.
 */
export class OperatorOrgSuspensionError extends Error {
	constructor() {
		super('The operator organization cannot be suspended.')
	}
}

export class OrgNotFoundError extends Error {
	constructor() {
		super('No such organization.')
	}
}

export type SuspensionContext = AuditContext & { operatorOrgId: string }

export function suspendOrg(organizationId: string, context: SuspensionContext) {
	return setSuspended(organizationId, true, context)
}

export function resumeOrg(organizationId: string, context: SuspensionContext) {
	return setSuspended(organizationId, false, context)
}

async function setSuspended(organizationId: string, suspend: boolean, context: SuspensionContext): Promise<{ changed: boolean }> {
	const { operatorOrgId, ...audit } = context
	const changed = await db().$transaction(async (tx) => {
		const org = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true, slug: true, isOperator: true } })
		if (!org) throw new OrgNotFoundError()
		if (org.isOperator && suspend) throw new OperatorOrgSuspensionError()
		// Conditional on the current state: two operators clicking at once record one change.
		const { count } = await tx.organization.updateMany({
			where: { id: org.id, suspendedAt: suspend ? null : { not: null } },
			data: { suspendedAt: suspend ? new Date() : null },
		})
		if (count === 0) return false
		const event = { type: suspend ? 'org.suspended' : 'org.resumed', targetType: 'organization', targetId: org.id, data: { slug: org.slug }, ...audit }
		await recordAuditEvent(tx, { organizationId: org.id, ...event })
		if (operatorOrgId !== org.id) await recordAuditEvent(tx, { organizationId: operatorOrgId, ...event })
		return true
	})
	if (changed) {
		forgetOrg(organizationId)
		await announceChange({ type: 'org', id: organizationId })
	}
	return { changed }
}
