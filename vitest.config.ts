import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
	resolve: {
		// Remix's convention for imports from app/ (tsconfig `paths`); vitest does not read tsconfig.
		alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['app/**/*.test.{ts,tsx}', 'emails/**/*.test.{ts,tsx}'],
					environment: 'node',
				},
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['test/integration/**/*.test.ts'],
					environment: 'node',
					// One PostgreSQL for the run (each test file takes its own database from a migrated template)
					// and one redis-server (each file that uses it takes its own key prefix).
					globalSetup: ['test/setup/global-postgres.ts', 'test/setup/global-redis.ts'],
					testTimeout: 90_000,
					hookTimeout: 180_000,
				},
			},
		],
	},
})
