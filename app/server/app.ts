import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import { type ServerBuild } from '@remix-run/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import type Provider from 'oidc-provider'
import { pinoHttp } from 'pino-http'
import { type RequestContext } from '../context'
import { providerFor } from '../modules/oidc/provider.server'
import { type HostConfig, type ResolvedOrg } from '../modules/orgs/resolve.server'
import { type Env } from '../utils/env.server'
import { httpLogSerializers } from '../utils/log-redaction.server'
import { logger } from '../utils/logger.server'
import { projectRoot } from '../utils/paths.server'
import { healthRoutes } from './health'
import { compileCustomCss } from '../modules/branding/custom-css.server'
import { brandingPreview } from './branding-preview'
import { bodyLimit, dropUntrustedForwardingHeaders, requestId, resolveOrg, sameOriginOnly, securityHeaders } from './middleware'

const BODY_LIMIT_BYTES = 256 * 1024

const isOidcPath = (path: string) => path.startsWith('/oidc/') || path.startsWith('/.well-known/')
/**
 * The Management API is called by servers, which send no Origin. It accepts only
 * `Authorization: Bearer` API keys and never a browser's cookies (modules/api/guard.server.ts),
 * so a cross-site form can't use a visitor's session there: the same-origin check adds nothing.
 */
const isApiPath = (path: string) => path.startsWith('/api/v1/') && normalizedPath(path) === path
/** What the router will see: `/api/v1/%2e%2e/admin/users` is /admin/users, which must keep the check. */
const normalizedPath = (path: string) => new URL(path, 'http://localhost').pathname

export function hostConfig(env: Env): HostConfig {
	return { baseDomain: env.FOYER_BASE_DOMAIN, operatorHost: env.FOYER_OPERATOR_HOST, scheme: env.FOYER_PUBLIC_SCHEME, port: env.publicPort }
}

/**
 * The request path: request id and log → security headers → health → static files (build, fonts, favicon) →
 * body limit → org by Host → same-origin check → the org's OpenID Provider → Remix.
 */
export function createApp({ build, env, databaseUrl }: { build: ServerBuild; env: Env; databaseUrl: string }) {
	const app = express()
	app.disable('x-powered-by')
	app.set('trust proxy', env.TRUST_PROXY === false ? false : env.TRUST_PROXY)

	app.use(dropUntrustedForwardingHeaders(env.TRUST_PROXY !== false))
	app.use(requestId(env.TRUST_PROXY !== false))
	app.use(
		pinoHttp({
			logger,
			genReqId: (_req, res) => (res as Response).locals.requestId as string,
			autoLogging: { ignore: (req) => /^\/(build|fonts)\//.test(req.url ?? '') },
			// Email-link tokens, OIDC codes and states stay out of the request lines (and of the error lines below).
			serializers: httpLogSerializers,
		}),
	)
	app.use(securityHeaders())
	app.use(healthRoutes(databaseUrl))

	// Only fingerprinted files under fixed prefixes are static: a filesystem check on every page
	// request would queue behind argon2 on libuv's thread pool. Fonts carry their content hash in
	// their names (modules/branding/fonts.ts), so they are cached like the build output. They are
	// served before the org is known: the same files for every org, and a suspended org's 503
	// page still gets its font.
	const immutable = { immutable: true, maxAge: '1y', index: false, fallthrough: false } as const
	app.use('/build', express.static(path.join(projectRoot, 'public', 'build'), immutable))
	app.use('/fonts', express.static(path.join(projectRoot, 'public', 'fonts'), immutable))
	// The default favicon of orgs without an icon: one fixed file, cached a day (its name has no hash).
	app.get('/favicon.svg', (_req, res, next) => res.sendFile(path.join(projectRoot, 'public', 'favicon.svg'), { maxAge: '1d' }, (error) => error && next(error)))

	app.use(bodyLimit(BODY_LIMIT_BYTES, isApiPath))
	app.use(resolveOrg(hostConfig(env)))
	app.use(brandingPreview(compileCustomCss))
	app.use(sameOriginOnly((path) => isOidcPath(path) || isApiPath(path)))
	app.use(mountOidc)
	app.all(
		'*',
		createRequestHandler({
			build,
			// Production mode hides error details from responses; only NODE_ENV=development shows them.
			mode: env.NODE_ENV === 'development' ? 'development' : 'production',
			getLoadContext: (req, res): RequestContext => ({
				org: res.locals.org as ResolvedOrg,
				requestId: res.locals.requestId as string,
				ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
				userAgent: req.get('user-agent') ?? null,
				secure: req.secure,
				cspNonce: res.locals.cspNonce as string,
				preview: res.locals.preview === true,
				req,
				res,
			}),
		}),
	)
	app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
		// A missing static file (express.static with fallthrough off) is the client's 404, not our failure.
		const status = (error as { status?: unknown }).status
		if (status === 404 && !res.headersSent) return res.status(404).type('text').send('Not found.')
		req.log.error({ err: error }, 'request failed')
		if (!res.headersSent) res.status(500).type('text').send('Something went wrong. Try again in a moment.')
	})
	return app
}

/** Koa composes its middleware in callback(): once per provider, not once per request. */
const handlers = new WeakMap<Provider, ReturnType<Provider['callback']>>()

/** Hands discovery, JWKS and the OIDC endpoints to the org's own provider (issuer = the org's origin). */
async function mountOidc(req: Request, res: Response, next: NextFunction) {
	if (!(req.path === '/.well-known/openid-configuration' || req.path.startsWith('/oidc/'))) return next()
	try {
		const provider = await providerFor(res.locals.org as ResolvedOrg)
		let handler = handlers.get(provider)
		if (!handler) handlers.set(provider, (handler = provider.callback()))
		await handler(req, res)
	} catch (error) {
		next(error)
	}
}
