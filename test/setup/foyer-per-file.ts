import { afterAll, beforeAll } from 'vitest'
import { createTestDatabase } from './database'
import { startFoyer, type Foyer } from './foyer'

/**
 * A test file's own Foyer: a database copied from the migrated template and the built server on
 * it, started before the file's tests and removed after. The returned object stands for the
 * server once it runs (it forwards to it), so test bodies just use `foyer.client('acme')`.
 */
export function foyerPerFile(options: { env?: Record<string, string> } = {}): Foyer {
	let started: Foyer | undefined
	let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined
	beforeAll(async () => {
		database = await createTestDatabase()
		started = await startFoyer({ databaseUrl: database.url, env: options.env })
	})
	afterAll(async () => {
		await started?.stop()
		await database?.drop()
	})
	return new Proxy({} as Foyer, {
		get(_target, property) {
			if (!started) throw new Error('Foyer is not started yet: use it inside tests or hooks')
			const value = started[property as keyof Foyer]
			return typeof value === 'function' ? value.bind(started) : value
		},
	})
}
