import { errors, type Adapter, type AdapterPayload } from 'oidc-provider'
import { type Prisma } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { findClientMetadata } from './clients.server'

/**
 * oidc-provider's storage on PostgreSQL: one table for every model, scoped to one org, so a
 * code, token or session from one org is simply not found by another org's provider.
 * Rules:
 * - `Client` is read from the Application table (clients are managed by Foyer, not by DCR);
 * - `consume` is one conditional UPDATE: of two concurrent redemptions of a code or refresh
 *   token exactly one succeeds, the other gets invalid_grant;
 * - expired rows are never returned and are deleted by `deleteExpiredPayloads`.
 * @see https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js
 */
/**
 * Every id oidc-provider or Foyer mints is URL-safe; anything else (NUL bytes, 100 KB strings)
 * comes from a client and can only be "not found" without a trip to PostgreSQL.
 */
const usableId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= 512 && /^[\w.~-]+$/.test(id)

export class PrismaAdapter implements Adapter {
	constructor(
		private readonly model: string,
		private readonly organizationId: string,
	) {}

	async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
		const data = {
			payload: payload as Prisma.InputJsonObject,
			grantId: payload.grantId ?? null,
			userCode: payload.userCode ?? null,
			uid: payload.uid ?? null,
			expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
		}
		await db().oidcPayload.upsert({
			where: { model_id: { model: this.model, id } },
			create: { id, model: this.model, organizationId: this.organizationId, ...data },
			update: data,
		})
	}

	async find(id: string): Promise<AdapterPayload | undefined> {
		if (!usableId(id)) return undefined
		if (this.model === 'Client') return findClientMetadata(this.organizationId, id)
		return this.findWhere({ id })
	}

	async findByUid(uid: string) {
		return usableId(uid) ? this.findWhere({ uid }) : undefined
	}

	async findByUserCode(userCode: string) {
		return usableId(userCode) ? this.findWhere({ userCode }) : undefined
	}

	async consume(id: string) {
		if (!usableId(id)) throw new errors.InvalidGrant('grant request is invalid')
		const { count } = await db().oidcPayload.updateMany({
			where: { model: this.model, id, organizationId: this.organizationId, consumedAt: null },
			data: { consumedAt: new Date() },
		})
		// Someone redeemed it between our find and this update.
		if (count === 0) throw new errors.InvalidGrant(`${this.model === 'RefreshToken' ? 'refresh token' : 'authorization code'} already used`)
	}

	async destroy(id: string) {
		if (!usableId(id)) return
		await db().oidcPayload.deleteMany({ where: { model: this.model, id, organizationId: this.organizationId } })
	}

	async revokeByGrantId(grantId: string) {
		await db().oidcPayload.deleteMany({ where: { grantId, organizationId: this.organizationId } })
	}

	private async findWhere(where: { id?: string; uid?: string; userCode?: string }): Promise<AdapterPayload | undefined> {
		const row = await db().oidcPayload.findFirst({ where: { ...where, model: this.model, organizationId: this.organizationId } })
		if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return undefined
		const payload = row.payload as AdapterPayload
		return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload
	}
}

/** Rows past their expiry (kept an hour longer, for late reuse detection). Called periodically by the server. */
export async function deleteExpiredPayloads() {
	const { count } = await db().oidcPayload.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 3_600_000) } } })
	return count
}
