import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { migrationsDir as defaultMigrationsDir } from './paths.server'

/**
 * Applies prisma/migrations with nothing but `pg`, keeping Prisma Migrate's own bookkeeping
 * (folders, `_prisma_migrations`, advisory lock) so `prisma migrate deploy/status` still work
 * against the same database where Prisma's engine can be downloaded. See prisma/README.md.
 */
export type MigrateOptions = {
	/** @default `<projectRoot>/prisma/migrations` */
	migrationsDir?: string
	/** @default writes to stderr (stdout may be a CLI's `--json` output) */
	log?: (msg: string) => void
}

/** The key Prisma Migrate locks, so our migrator and `prisma migrate deploy` exclude each other. */
const lockKey = 72707369

const createHistoryTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
	"id" VARCHAR(36) PRIMARY KEY NOT NULL,
	"checksum" VARCHAR(64) NOT NULL,
	"finished_at" TIMESTAMPTZ,
	"migration_name" VARCHAR(255) NOT NULL,
	"logs" TEXT,
	"rolled_back_at" TIMESTAMPTZ,
	"started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
	"applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

type Migration = { name: string, sql: string, checksum: string }

type HistoryRow = { migration_name: string, checksum: string, finished: boolean }

export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
	const dir = options.migrationsDir ?? defaultMigrationsDir
	const log = options.log ?? ((msg: string) => process.stderr.write(`${msg}\n`))
	const migrations = await readMigrations(dir)
	const client = await connect(databaseUrl)
	try {
		const { rows: [lock] } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockKey])
		if (!lock?.locked) {
			log('Waiting for another migrator to finish')
			await client.query('SELECT pg_advisory_lock($1)', [lockKey])
		}
		await client.query(createHistoryTable)
		const history = await readHistory(client)
		const failed = history.filter((row) => !row.finished)
		if (failed.length) {
			throw new Error(`Migration ${failed.map((row) => row.migration_name).join(', ')} failed earlier and may be half-applied: fix the database by hand, then delete its row from "_prisma_migrations" (or run \`prisma migrate resolve\`)`)
		}
		const applied = new Map(history.map((row) => [row.migration_name, row.checksum]))
		warnAboutDrift(migrations, applied, dir, log)

		const done: string[] = []
		for (const migration of migrations) {
			if (applied.has(migration.name)) continue
			const started = Date.now()
			await apply(client, migration)
			log(`Applied migration ${migration.name} (${Date.now() - started} ms)`)
			done.push(migration.name)
		}
		return { applied: done }
	} finally {
		// Closing the session releases the advisory lock.
		await client.end().catch(() => {})
	}
}

/**
 * What /readyz needs: migrations on disk the database has not finished, and failed ones.
 * One query, and no migration file is read.
 */
export async function migrationStatus(
	database: string | Queryable,
	options: Pick<MigrateOptions, 'migrationsDir'> = {},
): Promise<{ pending: string[], failed: string[] }> {
	const names = await readMigrationNames(options.migrationsDir ?? defaultMigrationsDir)
	// A URL opens (and closes) a connection of its own; a running server passes its pool instead.
	const client = typeof database === 'string' ? await connect(database) : database
	let history: HistoryRow[]
	try {
		history = await readHistory(client)
	} catch (error) {
		// No history table yet: nothing was ever applied.
		if ((error as { code?: string }).code !== '42P01') throw error
		history = []
	} finally {
		if (typeof database === 'string') await (client as pg.Client).end().catch(() => {})
	}
	const finished = new Set(history.filter((row) => row.finished).map((row) => row.migration_name))
	const failed = [...new Set(history.filter((row) => !row.finished).map((row) => row.migration_name))]
	return { pending: names.filter((name) => !finished.has(name) && !failed.includes(name)), failed }
}

async function connect(databaseUrl: string) {
	const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 })
	// A dropped connection surfaces through the pending query; without a listener it would crash the process.
	client.on('error', () => {})
	await client.connect()
	return client
}

/** Rows marked rolled back (`prisma migrate resolve --rolled-back`) no longer count. */
/** Anything that runs a query and returns rows: a pg.Client, a pg.Pool. */
export type Queryable = { query<R extends pg.QueryResultRow>(sql: string): Promise<{ rows: R[] }> }

async function readHistory(client: Queryable) {
	const { rows } = await client.query<HistoryRow>(
		`SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
	)
	return rows
}

/** Folder names in the order Prisma applies them; files beside them (the schema snapshot) are not migrations. */
async function readMigrationNames(dir: string) {
	let entries
	try {
		entries = await fs.readdir(dir, { withFileTypes: true })
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`No migrations folder at ${dir}: ship prisma/migrations with the app`)
		throw error
	}
	return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort((a, b) => a.localeCompare(b))
}

async function readMigrations(dir: string): Promise<Migration[]> {
	const names = await readMigrationNames(dir)
	return Promise.all(names.map(async (name) => {
		const file = path.join(dir, name, 'migration.sql')
		const bytes = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
			throw error.code === 'ENOENT' ? new Error(`${file} is missing: every folder in ${dir} is a migration`) : error
		})
		return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') }
	}))
}

function warnAboutDrift(migrations: Migration[], applied: Map<string, string>, dir: string, log: (msg: string) => void) {
	const onDisk = new Set(migrations.map((migration) => migration.name))
	for (const migration of migrations) {
		const checksum = applied.get(migration.name)
		if (checksum && checksum !== migration.checksum) {
			log(`Warning: migration ${migration.name} was edited after it was applied (checksum differs); the database keeps what was applied. Put a change in a new migration instead`)
		}
	}
	for (const name of applied.keys()) {
		if (!onDisk.has(name)) log(`Warning: migration ${name} is applied but not in ${dir} (is this an older build?)`)
	}
}

/**
 * One transaction per migration, history row included, so a failure leaves no trace. A file
 * with its own BEGIN/COMMIT (Prisma writes one when removing an enum value) runs as it is;
 * its row is written first, unfinished, so a failure is recorded and blocks later runs, as
 * in Prisma Migrate.
 */
async function apply(client: pg.Client, migration: Migration) {
	if (hasOwnTransaction(migration.sql)) {
		const id = randomUUID()
		await client.query(
			`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
			[id, migration.checksum, migration.name],
		)
		try {
			await client.query(migration.sql)
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {})
			await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, describe(error, migration)]).catch(() => {})
			throw migrationError(error, migration, 'it is marked failed in "_prisma_migrations" and may be half-applied')
		}
		await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id])
		return
	}
	try {
		await client.query('BEGIN')
		// Simple query protocol: multi-statement files and $$ bodies go through as written.
		await client.query(migration.sql)
		await client.query(
			`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
			[randomUUID(), migration.checksum, migration.name],
		)
		await client.query('COMMIT')
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {})
		throw migrationError(error, migration, 'nothing of it was applied')
	}
}

/** A transaction-control BEGIN ends its line with `;`, unlike a PL/pgSQL block's BEGIN. */
function hasOwnTransaction(sql: string) {
	const code = sql.replace(/--[^\n]*/g, '')
	return /^\s*(BEGIN|START\s+TRANSACTION)\b[^;\n]*;/im.test(code) && /^\s*COMMIT\b[^;\n]*;/im.test(code)
}

function migrationError(error: unknown, migration: Migration, outcome: string) {
	return new Error(`Migration ${migration.name} failed (${outcome}): ${describe(error, migration)}`, { cause: error })
}

/** Postgres reports a character offset into the file; a line number is what a reader needs. */
function describe(error: unknown, migration: Migration) {
	const { message, position } = error as { message?: string, position?: string }
	const offset = Number(position)
	if (!offset) return String(message ?? error)
	const line = migration.sql.slice(0, offset - 1).split('\n').length
	return `${message} (migration.sql line ${line})`
}
