/**
 * vitest globalSetup for the integration project: one PostgreSQL for the whole run (embedded
 * in a temp dir, or the server at TEST_DATABASE_URL) holding a template database with every
 * migration applied. Test files copy it with createTestDatabase() from ./database.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate } from '../../app/utils/migrate.server'
import { startEmbeddedPostgres } from '../../app/utils/postgres.server'
import type { TestDatabaseContext } from './database'

export default async function setup(project: TestProject) {
	const external = process.env.TEST_DATABASE_URL
	const tempDir = external ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-test-'))
	const server = tempDir ? await startEmbeddedPostgres({ dataDir: tempDir, throwaway: true }) : undefined
	// Databases are created from the `postgres` maintenance database, whatever TEST_DATABASE_URL names.
	const adminUrl = withDatabase(external ?? server!.url, 'postgres')
	// Every database of this run starts with the prefix, so a shared server can be cleaned up after.
	const prefix = `foyer_test_${randomBytes(4).toString('hex')}`
	const context: TestDatabaseContext = { adminUrl, template: `${prefix}_template`, prefix }

	const teardown = async () => {
		if (external) await dropRunDatabases(adminUrl, prefix)
		await server?.stop()
		if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
	}
	try {
		await adminQuery(adminUrl, `CREATE DATABASE ${quote(context.template)}`)
		await migrate(withDatabase(adminUrl, context.template), { log: () => {} })
	} catch (error) {
		await teardown()
		throw error
	}
	project.provide('testDatabase', context)
	return teardown
}

export function withDatabase(url: string, database: string) {
	const parsed = new URL(url)
	parsed.pathname = `/${encodeURIComponent(database)}`
	return parsed.toString()
}

export function quote(identifier: string) {
	return `"${identifier.replaceAll('"', '""')}"`
}

export async function adminQuery(adminUrl: string, sql: string, values?: unknown[]) {
	const client = new pg.Client({ connectionString: adminUrl })
	client.on('error', () => {})
	await client.connect()
	try {
		return await client.query(sql, values)
	} finally {
		await client.end()
	}
}

async function dropRunDatabases(adminUrl: string, prefix: string) {
	const { rows } = await adminQuery(adminUrl, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix])
	for (const { datname } of rows as { datname: string }[]) {
		await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quote(datname)} WITH (FORCE)`)
	}
}
