import { LRUCache } from 'lru-cache'
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { recordAuditEventNow } from '../audit/audit.server'
import { type ResolvedOrg } from '../orgs/resolve.server'
import { findSessionByCookieHeader, revokeSessionByCookieHeader, clearSessionCookieHeader } from '../sessions/session.server'
import { ACR_VALUES, needsSecondFactor } from './acr'
import { PrismaAdapter } from './adapter.server'
import { loadSigningJwks } from './keys.server'
import { errorPage, logoutPage, signedOutPage } from './pages.server'

/**
 * One oidc-provider per org: its issuer is the org's own origin, it signs with the org's own
 * keys and stores through an adapter scoped to the org, so a token from one org is never valid
 * at another. Providers are cached per org and origin (built once: a key decryption).
 *
 * A provider closes over the org it was built from: the settings its checks read (mfaPolicy,
 * session lifetimes) and the branding of its pages. So it is reused only for an org that reads
 * the same. A change of the org, or of the platform defaults every org inherits, makes
 * orgs/resolve.server.ts read the org afresh (in every process, over pg NOTIFY), and the next
 * request builds a provider from that; a request that raced the change with the old org cannot
 * leave a stale provider behind for good either.
 */
type CachedProvider = { org: ResolvedOrg; fingerprint: string; provider: Promise<Provider> }
const providers = new LRUCache<string, CachedProvider>({ max: 500 })

export function providerFor(org: ResolvedOrg): Promise<Provider> {
	const key = `${org.id} ${org.origin}`
	const cached = providers.get(key)
	// The org cache hands out the same object until it changes or expires: compare contents only then.
	if (cached && cached.org === org) return cached.provider
	const fingerprint = JSON.stringify(org)
	if (cached && cached.fingerprint === fingerprint) {
		cached.org = org
		return cached.provider
	}
	const entry: CachedProvider = { org, fingerprint, provider: buildProvider(org) }
	entry.provider.catch(() => {
		if (providers.get(key) === entry) providers.delete(key)
	})
	providers.set(key, entry)
	return entry.provider
}

/** Drops an org's provider (after key rotation: the keys are not part of the org). */
export function forgetProvider(orgId: string) {
	for (const key of providers.keys()) if (key.startsWith(`${orgId} `)) providers.delete(key)
}

/** Token lifetimes in seconds. */
export const TTL = {
	AccessToken: 3600,
	AuthorizationCode: 60,
	ClientCredentials: 3600,
	IdToken: 3600,
	Interaction: 3600,
	RefreshToken: 30 * 24 * 3600,
	Grant: 365 * 24 * 3600,
	Session: 30 * 24 * 3600,
} as const

/**
 * The login prompt also asks whenever Foyer's own session is gone or belongs to someone else
 * (signing out of Foyer, or being disabled, must end silent sign-ins into apps too), and when the
 * app or the org's policy wants a second factor that this session has not passed.
 */
function loginPolicy(org: ResolvedOrg) {
	const policy = interactionPolicy.base()
	policy.get('login')!.checks.add(
		new interactionPolicy.Check('foyer_session', 'the hosted login session ended or changed', async (ctx: KoaContextWithOIDC) => {
			const accountId = ctx.oidc.session?.accountId
			if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT // no_session asks already
			const current = await findSessionByCookieHeader(ctx.get('cookie'), { org, secure: ctx.secure })
			if (current?.user.id !== accountId) return interactionPolicy.Check.REQUEST_PROMPT
			// Just back from the login interaction: what it returned stands for this request.
			if (ctx.oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT
			// aal2 wanted: Foyer's session must have it, and so must the app session the ID token is made from.
			const wantsAal2 = await needsSecondFactor(org, ctx.oidc.params?.acr_values, current.user)
			return wantsAal2 && (current.session.aal !== 'aal2' || ctx.oidc.session?.acr !== 'aal2') ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT
		}),
	)
	return policy
}

async function buildProvider(org: ResolvedOrg): Promise<Provider> {
	const { env, secrets } = config()
	const configuration: Configuration = {
		adapter: (model: string) => new PrismaAdapter(model, org.id),
		jwks: { keys: (await loadSigningJwks(org.id)) as NonNullable<Configuration['jwks']>['keys'] },
		cookies: { keys: [secrets.sessionSecret] },
		routes: {
			authorization: '/oidc/auth',
			end_session: '/oidc/session/end',
			introspection: '/oidc/token/introspection',
			jwks: '/oidc/jwks',
			pushed_authorization_request: '/oidc/request',
			revocation: '/oidc/token/revocation',
			token: '/oidc/token',
			userinfo: '/oidc/me',
		},
		// Rules for every client (README, Security defaults): PKCE with S256 (the only method v9 offers),
		// the code flow only, refresh tokens rotated on every use.
		pkce: { required: () => true },
		responseTypes: ['code'],
		rotateRefreshToken: true,
		issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
		allowOmittingSingleRegisteredRedirectUri: false,
		scopes: ['openid', 'offline_access', 'email', 'profile'],
		// The session's assurance level (NIST SP 800-63B): aal2 once a second factor or a passkey passed.
		acrValues: [...ACR_VALUES],
		// acr and amr ride on the openid scope: every ID token says how strongly the user signed in.
		claims: { openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
		// Scoped claims go into the ID token too, not only to userinfo.
		conformIdTokenClaims: false,
		ttl: TTL,
		features: {
			devInteractions: { enabled: false },
			clientCredentials: { enabled: true },
			introspection: { enabled: true },
			revocation: { enabled: true },
			rpInitiatedLogout: {
				enabled: true,
				logoutSource: async (ctx, form) => {
					ctx.body = logoutPage(ctx, org, form)
				},
				postLogoutSuccessSource: async (ctx) => {
					ctx.body = signedOutPage(ctx, org)
				},
			},
		},
		interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: loginPolicy(org) },
		renderError: async (ctx, out) => {
			ctx.type = 'html'
			ctx.body = errorPage(ctx, org, out)
		},
		clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
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
	wireEvents(provider, org)
	return provider
}

/** Endpoints where the client authenticates; userinfo speaks RFC 6750's error names instead. */
const CLIENT_AUTHENTICATING_ROUTES = new Set(['token', 'introspection', 'revocation'])

/** oidc-provider's invalid_request descriptions that RFC 6749 (5.2) names otherwise. */
const RFC_6749_ERRORS: Record<string, { error: string; status: number }> = {
	'requested grant type is not allowed for this client': { error: 'unauthorized_client', status: 400 },
	'no client authentication mechanism provided': { error: 'invalid_client', status: 401 },
	'invalid authorization header value format': { error: 'invalid_client', status: 401 },
}

/** Never fails the request; callers that can wait (before their response leaves) await it. */
function audit(org: ResolvedOrg, ctx: KoaContextWithOIDC, type: string, fields: { actorId?: string | null; targetType?: string; targetId?: string; data?: Record<string, unknown> }) {
	return recordAuditEventNow({ organizationId: org.id, type, ip: ctx.ip, userAgent: ctx.get('user-agent') || null, ...fields }).catch((error: unknown) => logger.error({ err: error, type }, 'audit write failed'))
}

function wireEvents(provider: Provider, org: ResolvedOrg) {
	// A redeemed code or rotated refresh token presented again: oidc-provider revokes the grant.
	provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
		if (ctx.oidc?.route !== 'token') return
		void audit(org, ctx, 'oidc.token_reuse_detected', {
			actorId: ctx.oidc.entities.Account?.accountId ?? null,
			targetType: 'grant',
			targetId: grantId,
			data: { clientId: ctx.oidc.client?.clientId, grantType: ctx.oidc.params?.grant_type },
		})
	})
	provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
		ctx.state.endFoyerSession = true
	})
	// RP-initiated logout ends Foyer's own session too, before the response leaves.
	provider.use(async (koa, next) => {
		await next()
		const ctx = koa as KoaContextWithOIDC
		if (!ctx.state.endFoyerSession) return
		const session = await revokeSessionByCookieHeader(ctx.get('cookie'), { org, secure: ctx.secure })
		ctx.append('Set-Cookie', clearSessionCookieHeader({ secure: ctx.secure }))
		if (session) await audit(org, ctx, 'user.signed_out', { actorId: session.userId, targetType: 'session', targetId: session.id, data: { via: 'oidc_logout', clientId: ctx.oidc?.client?.clientId } })
	})
	// Where oidc-provider's error names differ from RFC 6749 (5.2), answer with the RFC's: client
	// libraries branch on the name.
	provider.use(async (koa, next) => {
		await next()
		const body = koa.body as { error?: string; error_description?: string } | undefined
		const route = (koa as KoaContextWithOIDC).oidc?.route
		if (!CLIENT_AUTHENTICATING_ROUTES.has(route ?? '') || koa.status !== 400 || body?.error !== 'invalid_request' || !body.error_description) return
		const renamed = RFC_6749_ERRORS[body.error_description]
		if (!renamed) return
		koa.status = renamed.status
		koa.body = { ...body, error: renamed.error }
		if (renamed.status === 401) koa.set('WWW-Authenticate', `Basic realm="${org.origin}", error="invalid_client"`)
	})
	provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => logger.error({ err: error, org: org.slug, route: ctx.oidc?.route }, 'oidc server error'))
}
