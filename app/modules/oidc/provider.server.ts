import { LRUCache } from 'lru-cache'
import Provider, { type Configuration } from 'oidc-provider'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { type ResolvedOrg } from '../orgs/resolve.server'
import { loadSigningJwks } from './keys.server'

/**
 * One oidc-provider per org: its issuer is the org's own origin and it signs with the org's own
 * keys, so a token from one org can never verify at another. Providers are cached per org and
 * origin; building one costs a key decryption and is done once per org per process.
 */
const providers = new LRUCache<string, Promise<Provider>>({ max: 500 })

export function providerFor(org: ResolvedOrg): Promise<Provider> {
	const key = `${org.id} ${org.origin}`
	let provider = providers.get(key)
	if (!provider) {
		provider = buildProvider(org)
		provider.catch(() => providers.delete(key))
		providers.set(key, provider)
	}
	return provider
}

/** Drops an org's provider (after key rotation or a change of domain). */
export function forgetProvider(orgId: string) {
	for (const key of providers.keys()) if (key.startsWith(`${orgId} `)) providers.delete(key)
}

async function buildProvider(org: ResolvedOrg): Promise<Provider> {
	const { env, secrets } = config()
	const configuration: Configuration = {
		jwks: { keys: (await loadSigningJwks(org.id)) as NonNullable<Configuration["jwks"]>["keys"] },
		cookies: { keys: [secrets.sessionSecret] },
		routes: {
			authorization: '/oidc/auth',
			end_session: '/oidc/session/end',
			introspection: '/oidc/token/introspection',
			pushed_authorization_request: '/oidc/request',
			jwks: '/oidc/jwks',
			revocation: '/oidc/token/revocation',
			token: '/oidc/token',
			userinfo: '/oidc/me',
		},
		// Rules that hold for every client (DESIGN.md, OIDC): PKCE with S256 for everyone.
		pkce: { required: () => true },
		responseTypes: ['code'],
		scopes: ['openid', 'offline_access', 'email', 'profile'],
		claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
		features: {
			devInteractions: { enabled: false },
			introspection: { enabled: true },
			revocation: { enabled: true },
		},
		interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
		clients: [],
		findAccount: async (_ctx, sub) => {
			const user = await db().user.findFirst({ where: { id: sub, organizationId: org.id, disabledAt: null } })
			if (!user) return undefined
			return {
				accountId: user.id,
				claims: async () => ({ sub: user.id, email: user.email, email_verified: user.emailVerified, name: user.name ?? undefined }),
			}
		},
	}
	const provider = new Provider(org.origin, configuration)
	provider.proxy = env.TRUST_PROXY !== false
	return provider
}
