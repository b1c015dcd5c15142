import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { afterEach, expect, test, vi } from 'vitest'
import { type Database, ensureDatabase } from '../../app/utils/postgres.server'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
	vi.unstubAllEnvs()
})

function tempDataDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-pg-test-'))
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
	return dir
}

/** ensureDatabase as the server or CLI calls it, with no DATABASE_URL. */
async function embedded(dataDir: string) {
	vi.stubEnv('DATABASE_URL', '')
	const database = await ensureDatabase({ dataDir })
	cleanups.push(() => database.stop())
	return database
}

async function query(url: string, sql: string) {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
	await client.connect()
	try {
		return (await client.query(sql)).rows
	} finally {
		await client.end()
	}
}

function postmaster(dataDir: string) {
	const lines = fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')
	return { pid: Number(lines[0]), port: Number(lines[3]) }
}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch {
		return false
	}
}

test('DATABASE_URL wins, and nothing is started', async () => {
	const dataDir = tempDataDir()
	vi.stubEnv('DATABASE_URL', 'postgresql://app@db.internal:5432/foyer')
	const database = await ensureDatabase({ dataDir })
	expect(database).toMatchObject({ url: 'postgresql://app@db.internal:5432/foyer', embedded: false })
	await database.stop()
	expect(fs.existsSync(path.join(dataDir, 'postgres'))).toBe(false)
})

test('starts an embedded server with a foyer database and a private password file', async () => {
	const dataDir = tempDataDir()
	const database = await embedded(dataDir)
	expect(database.embedded).toBe(true)
	expect(await query(database.url, `SELECT current_database() AS db, current_setting('server_encoding') AS encoding`)).toEqual([{ db: 'foyer', encoding: 'UTF8' }])

	const credentials = path.join(dataDir, 'postgres.json')
	expect(fs.statSync(credentials).mode & 0o777).toBe(0o600)
	expect(database.url).toContain(encodeURIComponent(JSON.parse(fs.readFileSync(credentials, 'utf8')).password))

	await database.stop()
	await expect(query(database.url, 'SELECT 1')).rejects.toThrow()
	expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false)
})

test('a second caller reuses the running server and its stop() leaves it running (the CLI case)', async () => {
	const dataDir = tempDataDir()
	const server = await embedded(dataDir)
	await query(server.url, 'CREATE TABLE shared (id int)')

	const cli = await embedded(dataDir)
	expect(cli.url).toBe(server.url)
	expect(cli.embedded).toBe(true)
	await cli.stop()
	expect(await query(server.url, 'SELECT count(*)::int AS n FROM shared')).toEqual([{ n: 0 }])

	await server.stop()
	await expect(query(server.url, 'SELECT 1')).rejects.toThrow()
})

test('callers racing on a fresh data dir initialise once and share one server', async () => {
	const dataDir = tempDataDir()
	const databases = await Promise.all([1, 2, 3].map(() => embedded(dataDir)))
	expect(new Set(databases.map((database) => database.url)).size).toBe(1)
	expect(fs.readdirSync(dataDir).sort()).toEqual(['postgres', 'postgres.json'])
	for (const database of databases) expect(await query(database.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }])
})

test('a restart keeps the data', async () => {
	const dataDir = tempDataDir()
	const first = await embedded(dataDir)
	await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`)
	await first.stop()

	const second = await embedded(dataDir)
	expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }])
})

test('starts after a crash left a stale postmaster.pid', async () => {
	const dataDir = tempDataDir()
	const crashed = await embedded(dataDir)
	await query(crashed.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survived')`)
	const { pid } = postmaster(dataDir)
	process.kill(pid, 'SIGKILL')
	while (isAlive(pid)) await sleep(20)
	expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true)

	const restarted = await embedded(dataDir)
	expect(await query(restarted.url, 'SELECT v FROM kept')).toEqual([{ v: 'survived' }])
	expect(postmaster(dataDir).pid).not.toBe(pid)
	// The crashed handle's stop() must not wait forever for a process that is gone.
	await crashed.stop()
})

test('starts when postmaster.pid names a live process that is not its server (a recycled pid)', async () => {
	const dataDir = tempDataDir()
	const first = await embedded(dataDir)
	const { port } = postmaster(dataDir)
	await first.stop()
	// Postgres alone refuses to start here: it takes any live pid for a running server.
	fs.writeFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), `${process.pid}\n${path.join(dataDir, 'postgres')}\n1700000000\n${port}\n\n127.0.0.1\n0 0\nready\n`)

	const started = Date.now()
	const database: Database = await embedded(dataDir)
	expect(await query(database.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }])
	expect(Date.now() - started).toBeLessThan(10_000)
})
