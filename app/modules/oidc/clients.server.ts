import { LRUCache } from 'lru-cache'
import { type ClientMetadata } from 'oidc-provider'
import { type Application } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { decrypt } from '../../utils/crypto.server'
import { db } from '../../utils/db.server'

export const CLIENT_SECRET_PURPOSE = 'client-secret'

/**
 * An Application row as oidc-provider client metadata. Every type gets the code flow (PKCE is
 * required for all by the provider's configuration) or, for m2m, client credentials only; none
 * gets implicit or password grants.
 */
export function toClientMetadata(app: Application): ClientMetadata {
	const base = { client_id: app.clientId, client_name: app.name }
	const secret = () => decrypt(app.clientSecretEncrypted!, config().secrets.secretKey, CLIENT_SECRET_PURPOSE)
	const interactive = {
		redirect_uris: app.redirectUris,
		post_logout_redirect_uris: app.postLogoutRedirectUris,
		response_types: ['code' as const],
		grant_types: ['authorization_code', 'refresh_token'],
	}
	switch (app.type) {
		case 'web':
			return { ...base, ...interactive, application_type: 'web', token_endpoint_auth_method: 'client_secret_basic', client_secret: secret() }
		case 'spa':
			return { ...base, ...interactive, application_type: 'web', token_endpoint_auth_method: 'none' }
		case 'native':
			return { ...base, ...interactive, application_type: 'native', token_endpoint_auth_method: 'none' }
		default:
			return { ...base, redirect_uris: [], response_types: [], grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', client_secret: secret() }
	}
}

/**
 * Every token request looks its client up; the metadata (secret decrypted) is cached briefly per
 * org and client id. Changing or deleting an app calls forgetClient here, and other processes
 * drop their copy when the org's change is announced (utils/changes.server.ts).
 */
const clients = new LRUCache<string, ClientMetadata>({ max: 10_000, ttl: 60_000 })

/** The client with this id in this org, or undefined: a client id never resolves in another org. */
export async function findClientMetadata(organizationId: string, clientId: string): Promise<ClientMetadata | undefined> {
	if (clientId.length > 100) return undefined
	const key = `${organizationId} ${clientId}`
	const cached = clients.get(key)
	if (cached) return { ...cached }
	const app = await db().application.findUnique({ where: { clientId } })
	if (!app || app.organizationId !== organizationId) return undefined
	const metadata = toClientMetadata(app)
	clients.set(key, metadata)
	return { ...metadata }
}

export function forgetClients(organizationId: string) {
	for (const key of clients.keys()) if (key.startsWith(`${organizationId} `)) clients.delete(key)
}
