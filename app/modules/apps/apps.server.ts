import { type Application } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { encrypt, randomToken } from '../../utils/crypto.server'
import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { announceChange } from '../../utils/changes.server'
import { CLIENT_SECRET_PURPOSE, forgetClients } from '../oidc/clients.server'
import { appInputSchema, type AppInput } from './schema'

const CONFIDENTIAL = new Set(['web', 'm2m'])

export class AppNotFoundError extends Error {
	constructor() {
		super('No such app in this organization')
	}
}

/** What an admin may see of an app: never the secret after creation. */
export function publicApp(app: Application) {
	const { clientSecretEncrypted, organizationId: _org, ...rest } = app
	return { ...rest, hasSecret: clientSecretEncrypted !== null }
}

/**
 * Registers an app. The client secret (confidential types only) is returned once, here; it is
 * stored encrypted because oidc-provider must compare it (and client_secret_jwt needs it).
 */
export async function createApp(organizationId: string, input: AppInput, context: AuditContext = {}) {
	const data = appInputSchema.parse(input)
	const clientSecret = CONFIDENTIAL.has(data.type) ? randomToken(32) : null
	const app = await db().$transaction(async (tx) => {
		const created = await tx.application.create({
			data: {
				organizationId,
				clientId: randomToken(18),
				...data,
				clientSecretEncrypted: clientSecret ? encrypt(clientSecret, config().secrets.secretKey, CLIENT_SECRET_PURPOSE) : null,
			},
		})
		await recordAuditEvent(tx, { organizationId, type: 'app.created', targetType: 'app', targetId: created.id, data: { name: created.name, type: created.type, clientId: created.clientId }, ...context })
		return created
	})
	return { app: publicApp(app), clientSecret }
}

export async function listApps(organizationId: string) {
	return (await db().application.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } })).map(publicApp)
}

async function findOwned(organizationId: string, idOrClientId: string) {
	const app = await db().application.findFirst({ where: { organizationId, OR: [{ id: idOrClientId }, { clientId: idOrClientId }] } })
	if (!app) throw new AppNotFoundError()
	return app
}

export async function getApp(organizationId: string, idOrClientId: string) {
	return publicApp(await findOwned(organizationId, idOrClientId))
}

/** Changes name, URIs or the first-party flag; the type is fixed at creation. */
export async function updateApp(organizationId: string, idOrClientId: string, input: Omit<AppInput, 'type'>, context: AuditContext = {}) {
	const existing = await findOwned(organizationId, idOrClientId)
	const data = appInputSchema.parse({ ...input, type: existing.type })
	const { type: _type, ...changes } = data
	const app = await db().$transaction(async (tx) => {
		const updated = await tx.application.update({ where: { id: existing.id }, data: changes })
		await recordAuditEvent(tx, {
			organizationId,
			type: 'app.updated',
			targetType: 'app',
			targetId: existing.id,
			data: { before: { name: existing.name, redirectUris: existing.redirectUris, postLogoutRedirectUris: existing.postLogoutRedirectUris, firstParty: existing.firstParty }, after: changes },
			...context,
		})
		return updated
	})
	await clientChanged(organizationId)
	return publicApp(app)
}

/** Deletes the app and everything issued to it (codes, tokens, grants). */
export async function deleteApp(organizationId: string, idOrClientId: string, context: AuditContext = {}) {
	const existing = await findOwned(organizationId, idOrClientId)
	await db().$transaction(async (tx) => {
		await tx.application.delete({ where: { id: existing.id } })
		await tx.oidcPayload.deleteMany({ where: { organizationId, payload: { path: ['clientId'], equals: existing.clientId } } })
		await recordAuditEvent(tx, { organizationId, type: 'app.deleted', targetType: 'app', targetId: existing.id, data: { name: existing.name, clientId: existing.clientId }, ...context })
	})
	await clientChanged(organizationId)
}

/** Cached client metadata must not outlive a change: here, and in every other process. */
async function clientChanged(organizationId: string) {
	forgetClients(organizationId)
	await announceChange({ type: 'org', id: organizationId })
}
