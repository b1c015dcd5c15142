import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, test } from 'vitest'
import { createPrismaClient } from '../../app/utils/db.server'
import { migrate, migrationStatus } from '../../app/utils/migrate.server'
import { migrationsDir } from '../../app/utils/paths.server'
import { createTestDatabase } from '../setup/database'

const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
})

async function emptyDatabase() {
	const database = await createTestDatabase({ migrated: false })
	cleanups.push(database.drop)
	return database.url
}

/** A migrations folder of our own: { '001_a': 'CREATE TABLE ...' } */
function migrationsFolder(migrations: Record<string, string>) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-migrations-'))
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
	for (const [name, sql] of Object.entries(migrations)) writeMigration(dir, name, sql)
	return dir
}

function writeMigration(dir: string, name: string, sql: string) {
	fs.mkdirSync(path.join(dir, name), { recursive: true })
	fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql)
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values?: unknown[]) {
	const client = new pg.Client({ connectionString: url })
	await client.connect()
	try {
		return (await client.query<T>(sql, values)).rows
	} finally {
		await client.end()
	}
}

async function history(url: string) {
	return query<{ migration_name: string, checksum: string, finished: boolean, applied_steps_count: number, logs: string | null }>(
		url,
		`SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name`,
	)
}

async function tableExists(url: string, table: string) {
	const [row] = await query<{ oid: string | null }>(url, 'SELECT to_regclass($1)::text AS oid', [table])
	return row?.oid != null
}

const quiet = { log: () => {} }

describe('migrate() with prisma/migrations', () => {
	const shipped = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()

	test('applies every migration to an empty database in Prisma\'s format, then nothing', async () => {
		const url = await emptyDatabase()
		expect(shipped.length).toBeGreaterThan(0)
		expect(await migrationStatus(url)).toEqual({ pending: shipped, failed: [] })

		expect(await migrate(url, quiet)).toEqual({ applied: shipped })
		const rows = await history(url)
		expect(rows.map((row) => row.migration_name)).toEqual(shipped)
		for (const row of rows) {
			const sql = fs.readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'))
			expect(row).toMatchObject({ checksum: createHash('sha256').update(sql).digest('hex'), finished: true, applied_steps_count: 1 })
		}
		expect(await tableExists(url, '"Organization"')).toBe(true)

		expect(await migrate(url, quiet)).toEqual({ applied: [] })
		expect(await history(url)).toHaveLength(shipped.length)
		expect(await migrationStatus(url)).toEqual({ pending: [], failed: [] })
	})

	test('the test template is fully migrated and fits the generated Prisma client', async () => {
		const database = await createTestDatabase()
		cleanups.push(database.drop)
		expect(await migrationStatus(database.url)).toEqual({ pending: [], failed: [] })

		const prisma = createPrismaClient(database.url)
		cleanups.push(() => prisma.$disconnect())
		const org = await prisma.organization.create({ data: { slug: 'acme', name: 'Acme', brandColor: '#0055ff' } })
		await prisma.user.create({ data: { organizationId: org.id, email: 'ada@example.com' } })
		await expect(prisma.user.create({ data: { organizationId: org.id, email: 'ada@example.com' } })).rejects.toMatchObject({ code: 'P2002' })
	})
})

describe('20261202140434_api_key_creator_expiry_sender_domains on existing keys', () => {
	const name = '20261202140434_api_key_creator_expiry_sender_domains'

	test("makes creator-less keys the CLI's, and keeps a deleted creator's key a user's (so dead), never unbounded", async () => {
		const url = await emptyDatabase()
		const before = migrationsFolder({})
		for (const shippedName of fs.readdirSync(migrationsDir).filter((entry) => entry < name && /^\d/.test(entry))) {
			writeMigration(before, shippedName, fs.readFileSync(path.join(migrationsDir, shippedName, 'migration.sql'), 'utf8'))
		}
		await migrate(url, { ...quiet, migrationsDir: before })
		await query(url, `INSERT INTO "Organization" (id, slug, name, "brandColor", "updatedAt") VALUES ('org', 'acme', 'Acme', '#0055ff', now())`)
		await query(url, `INSERT INTO "User" (id, "organizationId", email, "updatedAt") VALUES ('ada', 'org', 'ada@example.com', now())`)
		for (const [id, createdById] of [['cli', null], ['ada', 'ada'], ['gone', 'deleted-user']]) {
			await query(url, `INSERT INTO "ApiKey" (id, "organizationId", name, prefix, "keyHash", "createdById") VALUES ($1, 'org', $1, 'foyer_x', $1, $2)`, [id, createdById])
		}

		await migrate(url, quiet)
		const keys = await query<{ id: string; creatorKind: string; createdById: string | null; expiresAt: Date | null }>(url, 'SELECT id, "creatorKind", "createdById", "expiresAt" FROM "ApiKey" ORDER BY id')
		expect(keys).toEqual([
			{ id: 'ada', creatorKind: 'user', createdById: 'ada', expiresAt: null },
			{ id: 'cli', creatorKind: 'cli', createdById: null, expiresAt: null },
			{ id: 'gone', creatorKind: 'user', createdById: null, expiresAt: null },
		])
		await expect(query(url, `UPDATE "ApiKey" SET "createdById" = 'ada' WHERE id = 'cli'`), 'a CLI key never gains a creator').rejects.toThrow(/ApiKey_cli_key_has_no_creator/)
		await query(url, `DELETE FROM "User" WHERE id = 'ada'`)
		expect(await query(url, `SELECT "creatorKind", "createdById" FROM "ApiKey" WHERE id = 'ada'`)).toEqual([{ creatorKind: 'user', createdById: null }])
	})
})

describe('migrate() rules', () => {
	test('concurrent migrators apply each migration exactly once', async () => {
		const url = await emptyDatabase()
		const dir = migrationsFolder({
			'001_slow': 'SELECT pg_sleep(0.5); CREATE TABLE runs (id serial PRIMARY KEY);',
			'002_count': 'INSERT INTO runs DEFAULT VALUES;',
		})
		const messages: string[] = []
		const results = await Promise.all(Array.from({ length: 4 }, () => migrate(url, { migrationsDir: dir, log: (msg) => messages.push(msg) })))

		expect(results.flatMap((result) => result.applied).sort()).toEqual(['001_slow', '002_count'])
		expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1)
		expect(messages.filter((msg) => msg.includes('Waiting for another migrator')).length).toBeGreaterThan(0)
		expect(await query(url, 'SELECT count(*)::int AS n FROM runs')).toEqual([{ n: 1 }])
		expect(await history(url)).toHaveLength(2)
	})

	test('a migration with $$ function bodies applies as written', async () => {
		const url = await emptyDatabase()
		const dir = migrationsFolder({
			'001_trigger': `
CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY, "body" TEXT NOT NULL, "length" INTEGER);

CREATE FUNCTION note_length() RETURNS trigger AS $$
DECLARE
	n integer;
BEGIN
	n := length(NEW.body);
	NEW.length := n;
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER note_length BEFORE INSERT ON "Note" FOR EACH ROW EXECUTE FUNCTION note_length();
`,
		})
		expect(await migrate(url, { ...quiet, migrationsDir: dir })).toEqual({ applied: ['001_trigger'] })
		expect(await query(url, `INSERT INTO "Note" (body) VALUES ('hello; world') RETURNING length`)).toEqual([{ length: 12 }])
	})

	test('a failing migration rolls back entirely, throws, and leaves no history row', async () => {
		const url = await emptyDatabase()
		const dir = migrationsFolder({
			'001_ok': 'CREATE TABLE first (id int);',
			'002_broken': 'CREATE TABLE second (id int);\nINSERT INTO second VALUES (1);\nSELECT missing_column FROM second;\n',
		})
		await expect(migrate(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(/002_broken.*missing_column.*line 3/s)

		expect(await tableExists(url, 'first')).toBe(true)
		expect(await tableExists(url, 'second')).toBe(false)
		expect((await history(url)).map((row) => row.migration_name)).toEqual(['001_ok'])
		expect(await migrationStatus(url, { migrationsDir: dir })).toEqual({ pending: ['002_broken'], failed: [] })

		writeMigration(dir, '002_broken', 'CREATE TABLE second (id int);')
		expect(await migrate(url, { ...quiet, migrationsDir: dir })).toEqual({ applied: ['002_broken'] })
	})

	test('a file with its own BEGIN/COMMIT runs as written; its failure is recorded and stops later runs', async () => {
		const url = await emptyDatabase()
		const dir = migrationsFolder({
			'001_enum': `CREATE TYPE "Role" AS ENUM ('a', 'b');\n\n-- AlterEnum\nBEGIN;\nCREATE TYPE "Role_new" AS ENUM ('a');\nDROP TYPE "Role";\nALTER TYPE "Role_new" RENAME TO "Role";\nCOMMIT;\n`,
			'002_own_tx_broken': 'BEGIN;\nCREATE TABLE half (id int);\nSELECT * FROM missing_table;\nCOMMIT;\n',
		})
		await expect(migrate(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(/002_own_tx_broken.*missing_table/s)

		expect(await query(url, `SELECT enum_range(NULL::"Role")::text AS labels`)).toEqual([{ labels: '{a}' }])
		expect(await tableExists(url, 'half')).toBe(false)
		const rows = await history(url)
		expect(rows).toMatchObject([
			{ migration_name: '001_enum', finished: true, applied_steps_count: 1 },
			{ migration_name: '002_own_tx_broken', finished: false, applied_steps_count: 0, logs: expect.stringContaining('missing_table') },
		])
		expect(await migrationStatus(url, { migrationsDir: dir })).toEqual({ pending: [], failed: ['002_own_tx_broken'] })

		// Fixing the file is not enough: someone must look at the half-applied state first.
		writeMigration(dir, '002_own_tx_broken', 'CREATE TABLE half (id int);')
		await expect(migrate(url, { ...quiet, migrationsDir: dir })).rejects.toThrow(/002_own_tx_broken failed earlier/)
		expect(await tableExists(url, 'half')).toBe(false)
	})

	test('warns when an applied migration was edited, and does not re-run it', async () => {
		const url = await emptyDatabase()
		const dir = migrationsFolder({ '001_counter': 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (1);' })
		const messages: string[] = []
		const log = (msg: string) => messages.push(msg)
		await migrate(url, { migrationsDir: dir, log })
		await migrate(url, { migrationsDir: dir, log })
		expect(messages.filter((msg) => msg.includes('checksum'))).toEqual([])

		writeMigration(dir, '001_counter', 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (2);')
		expect(await migrate(url, { migrationsDir: dir, log })).toEqual({ applied: [] })
		expect(messages.filter((msg) => msg.includes('checksum'))).toEqual([expect.stringContaining('001_counter')])
		expect(await query(url, 'SELECT n FROM counter')).toEqual([{ n: 1 }])
	})
})

describe('20261202140720_invitation_sender_key', () => {
	test('records the sender of earlier invitations from their invitation.sent event: an API key, or an operator', async () => {
		const url = await emptyDatabase()
		const all = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
		const target = '20261202140720_invitation_sender_key'
		const before = migrationsFolder(Object.fromEntries(all.filter((name) => name < target).map((name) => [name, fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8')])))
		await migrate(url, { ...quiet, migrationsDir: before })
		await query(url, `
			INSERT INTO "Organization" (id, slug, name, "isOperator", "brandColor", "updatedAt") VALUES ('op', 'operator', 'Ops', true, '#000000', now()), ('acme', 'acme', 'Acme', false, '#000000', now());
			INSERT INTO "User" (id, "organizationId", email, role, "updatedAt") VALUES ('operator-admin', 'op', 'ops@example.com', 'owner', now()), ('acme-admin', 'acme', 'a@example.com', 'admin', now());
			INSERT INTO "ApiKey" (id, "organizationId", name, prefix, "keyHash", "creatorKind") VALUES ('key1', 'acme', 'k', 'foyer_x', 'h', 'cli');
			INSERT INTO "Invitation" (id, "organizationId", email, role, "tokenHash", "invitedById", "expiresAt") VALUES
				('by-key', 'acme', 'k@example.com', 'admin', 't1', NULL, now()), ('by-operator', 'acme', 'o@example.com', 'owner', 't2', NULL, now()),
				('by-user', 'acme', 'u@example.com', 'member', 't3', 'acme-admin', now()), ('by-nobody', 'acme', 'n@example.com', 'member', 't4', NULL, now());
			INSERT INTO "AuditEvent" (id, "organizationId", seq, type, "actorId", "targetType", "targetId", "createdAt", "prevHash", hash) VALUES
				('e1', 'acme', 1, 'invitation.sent', 'key1', 'invitation', 'by-key', now(), '', ''), ('e2', 'acme', 2, 'invitation.sent', 'operator-admin', 'invitation', 'by-operator', now(), '', ''),
				('e3', 'acme', 3, 'invitation.sent', 'acme-admin', 'invitation', 'by-user', now(), '', ''), ('e4', 'acme', 4, 'invitation.sent', NULL, 'invitation', 'by-nobody', now(), '', '');
		`)
		await migrate(url, quiet)
		expect(await query(url, `SELECT id, "invitedById", "invitedByKeyId" FROM "Invitation" ORDER BY id`)).toEqual([
			{ id: 'by-key', invitedById: null, invitedByKeyId: 'key1' },
			{ id: 'by-nobody', invitedById: null, invitedByKeyId: null },
			{ id: 'by-operator', invitedById: 'operator-admin', invitedByKeyId: null },
			{ id: 'by-user', invitedById: 'acme-admin', invitedByKeyId: null },
		])
	})
})
