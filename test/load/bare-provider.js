#!/usr/bin/env node
/**
 * The baseline for the token endpoint: a bare oidc-provider with its default in-memory adapter,
 * the same grant rules as Foyer (PKCE required, refresh rotation, client credentials), static
 * clients, no database, no Express, no org resolution. It prints its port and serves
 * POST /bench/refresh-tokens?n=N, which mints N refresh tokens directly through the provider's
 * models (no browser flow), for the refresh_token phase.
 */
import http from 'node:http'
import Provider from 'oidc-provider'

const secret = process.env.BENCH_CLIENT_SECRET ?? 'bench-secret-bench-secret-bench-secret'
const server = http.createServer()
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${server.address().port}`

const provider = new Provider(issuer, {
	clients: [
		{ client_id: 'bench-m2m', client_secret: secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
		{ client_id: 'bench-web', client_secret: secret, grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://app.example/cb'], response_types: ['code'] },
	],
	pkce: { required: () => true },
	rotateRefreshToken: true,
	features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
	scopes: ['openid', 'offline_access', 'email'],
	claims: { openid: ['sub'], email: ['email', 'email_verified'] },
	conformIdTokenClaims: false,
	findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: `${sub}@example.com`, email_verified: true }) }),
})

provider.use(async (ctx, next) => {
	if (ctx.path !== '/bench/refresh-tokens') return next()
	const n = Math.min(Number(ctx.query.n) || 1, 1000)
	const client = await provider.Client.find('bench-web')
	const tokens = []
	for (let i = 0; i < n; i++) {
		const grant = new provider.Grant({ accountId: `user${i}`, clientId: 'bench-web' })
		grant.addOIDCScope('openid email offline_access')
		const grantId = await grant.save()
		const token = new provider.RefreshToken({ accountId: `user${i}`, client, grantId, scope: 'openid email offline_access', gty: 'authorization_code', authTime: Math.floor(Date.now() / 1000) })
		tokens.push(await token.save())
	}
	ctx.body = { tokens }
})

const handler = provider.callback()
server.on('request', handler)
process.stdout.write(`${JSON.stringify({ issuer, port: server.address().port })}\n`)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
