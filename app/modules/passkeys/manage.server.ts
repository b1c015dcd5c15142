import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { lastFactorRefusal } from '../mfa/manage.server'
import { revokeUserGrants } from '../oidc/grants.server'

/**
 * A user's own passkeys: list, rename, remove. Every query names the org and the user, so an id
 * of someone else's passkey (in this org or another) is simply not found. Changes are audited in
 * their transaction.
 */

export type PasskeyView = {
	id: string
	name: string
	rpId: string
	/** Synced across the user's devices (multiDevice) or bound to one authenticator. */
	synced: boolean
	backedUp: boolean
	createdAt: string
	lastUsedAt: string | null
}

export async function listPasskeys(context: Pick<RequestContext, 'org'>, userId: string): Promise<PasskeyView[]> {
	const rows = await db().passkey.findMany({ where: { organizationId: context.org.id, userId }, orderBy: { createdAt: 'asc' } })
	return rows.map((row) => ({
		id: row.id,
		name: row.name,
		rpId: row.rpId,
		synced: row.deviceType === 'multiDevice',
		backedUp: row.backedUp,
		createdAt: row.createdAt.toISOString(),
		lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
	}))
}

type Actor = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>

export async function renamePasskey(context: Actor, user: { id: string }, passkeyId: string, name: string): Promise<boolean> {
	return db().$transaction(async (tx) => {
		const passkey = await tx.passkey.findFirst({ where: { id: passkeyId, organizationId: context.org.id, userId: user.id } })
		if (!passkey) return false
		if (passkey.name === name) return true
		await tx.passkey.update({ where: { id: passkey.id }, data: { name } })
		await recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'mfa.passkey_renamed',
			actorId: user.id,
			targetType: 'passkey',
			targetId: passkey.id,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { from: passkey.name, to: name },
		})
		return true
	})
}

export type RemoveResult = { ok: true } | { ok: false; status: 404 | 400; message: string }

/**
 * Removes a passkey, and with it the apps' grants (a factor taken away ends what was signed in
 * with it). Where the org requires a second factor of this user, the last one cannot go: they
 * would be locked into setting one up again at once.
 */
export async function removePasskey(context: Actor, user: { id: string; role: string }, passkeyId: string): Promise<RemoveResult> {
	const passkey = await db().passkey.findFirst({ where: { id: passkeyId, organizationId: context.org.id, userId: user.id } })
	if (!passkey) return { ok: false, status: 404, message: 'That passkey is not one of yours, or it was already removed.' }
	const refusal = await lastFactorRefusal(context, user, (factors) => ({ ...factors, passkeys: factors.passkeys - 1 }))
	if (refusal) return { ok: false, status: 400, message: refusal }
	const removed = await db().$transaction(async (tx) => {
		const { count } = await tx.passkey.deleteMany({ where: { id: passkey.id, organizationId: context.org.id, userId: user.id } })
		if (count === 0) return false
		await recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'mfa.passkey_removed',
			actorId: user.id,
			targetType: 'passkey',
			targetId: passkey.id,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { name: passkey.name, rpId: passkey.rpId, grantsRevoked: await revokeUserGrants(tx, context.org.id, user.id) },
		})
		return true
	})
	return removed ? { ok: true } : { ok: false, status: 404, message: 'That passkey is not one of yours, or it was already removed.' }
}
