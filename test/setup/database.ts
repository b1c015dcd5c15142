import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { adminQuery, quote, withDatabase } from './global-postgres'

/** What test/setup/global-postgres.ts hands to test files. */
export type TestDatabaseContext = {
	/** A superuser URL to the server's `postgres` database. */
	adminUrl: string
	/** A database with every migration applied; nobody may connect to it, or copies fail. */
	template: string
	/** Every database of this run starts with it. */
	prefix: string
}

declare module 'vitest' {
	export interface ProvidedContext {
		testDatabase: TestDatabaseContext
	}
}

/**
 * A database of its own for a test file (or test), copied from the migrated template so it
 * takes milliseconds, not a migration run. Call drop() in afterAll.
 */
export async function createTestDatabase(options: {
	/** false gives an empty database, for tests of the migrator itself. @default true */
	migrated?: boolean
} = {}): Promise<{ url: string, drop(): Promise<void> }> {
	const { adminUrl, template, prefix } = inject('testDatabase')
	// Random, so files running in parallel never collide.
	const name = `${prefix}_${randomBytes(6).toString('hex')}`
	const source = options.migrated === false ? '' : ` TEMPLATE ${quote(template)}`
	await adminQuery(adminUrl, `CREATE DATABASE ${quote(name)}${source}`)
	return {
		url: withDatabase(adminUrl, name),
		// FORCE: a client a test forgot to close must not keep the database alive.
		drop: async () => {
			await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`)
		},
	}
}
