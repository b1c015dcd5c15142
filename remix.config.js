import { flatRoutes } from 'remix-flat-routes'

/**
 * Classic compiler. `server` makes the Express entry part of the server bundle, so Express
 * middleware (org resolution, oidc-provider) and route modules share one copy of every module:
 * one Prisma client, one org cache, one rate limiter.
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
	server: 'app/server/index.ts',
	serverBuildPath: 'build/index.js',
	serverModuleFormat: 'esm',
	serverPlatform: 'node',
	ignoredRouteFiles: ['**/*'],
	routes: async (defineRoutes) =>
		flatRoutes('routes', defineRoutes, {
			ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}', '**/*.server.{ts,tsx}', '**/*.schema.ts'],
		}),
	postcss: true,
	tailwind: false,
	future: {
		v3_fetcherPersist: true,
		v3_relativeSplatPath: true,
		v3_throwAbortReason: true,
		v3_lazyRouteDiscovery: true,
		v3_singleFetch: true,
	},
}
