import { type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { clusterDir, outputTail, postgresPrograms, removeAbandonedStaging, runInitdb, startPostmaster, type Log, type Programs } from './postgres-process.server'

export { DatabaseSetupError } from './postgres-process.server'

/**
 * The database Foyer runs on: DATABASE_URL when set, else an embedded PostgreSQL kept in the
 * data dir. The server and the `foyer` CLI both call this; whichever starts the embedded
 * server owns it, the other reuses it through its postmaster.pid.
 */
export type Database = {
	url: string
	/** True when the database lives in `<dataDir>/postgres` (as root maybe a link: postgres-process.server.ts). */
	embedded: boolean
	/** Stops the embedded server if this call started it; a no-op otherwise. */
	stop(): Promise<void>
}

type Credentials = { user: string, password: string }

const databaseName = 'foyer'
/** How long a live postmaster may take to answer (startup, crash recovery) before we give up. */
const answerTimeoutMs = 30_000

export async function ensureDatabase(options: { dataDir: string, log?: Log }): Promise<Database> {
	const url = process.env.DATABASE_URL
	if (url) return { url, embedded: false, stop: async () => {} }
	return startEmbeddedPostgres(options)
}

/**
 * Starts (or reuses) the embedded server in `<dataDir>/postgres` (or where that links to) and
 * makes sure the `foyer` database exists. `throwaway` is for data nobody keeps (tests, migration authoring): it
 * trades crash safety for speed.
 */
export async function startEmbeddedPostgres(options: {
	dataDir: string
	log?: Log
	/** @default false */
	throwaway?: boolean
}): Promise<Database> {
	const log = options.log ?? (() => {})
	fs.mkdirSync(options.dataDir, { recursive: true })
	const dataDir = fs.realpathSync(options.dataDir)
	const programs = await postgresPrograms(log)
	const pgdata = clusterDir(dataDir, programs, log)

	const credentials = readCredentials(dataDir, pgdata)
	const running = await findRunningPostmaster(pgdata, credentials, log)
	if (running) {
		log(`Using the embedded PostgreSQL already running on port ${running} (${pgdata})`)
		await createFoyerDatabase(running, credentials)
		return { url: connectionUrl(running, credentials, databaseName), embedded: true, stop: async () => {} }
	}

	if (!isInitialised(pgdata)) await initialiseCluster(programs, pgdata, credentials, log, options.throwaway)
	const started = await startCluster(programs, pgdata, credentials, log, options.throwaway)
	await createFoyerDatabase(started.port, credentials)
	return { url: connectionUrl(started.port, credentials, databaseName), embedded: true, stop: started.stop }
}

function connectionUrl(port: number, { user, password }: Credentials, database: string) {
	return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
}

function isInitialised(pgdata: string) {
	return fs.existsSync(path.join(pgdata, 'PG_VERSION'))
}

/**
 * The superuser password lives beside the cluster, not in it. Created with link() so that
 * two first starts racing each other end up with the same, complete file.
 */
function readCredentials(dataDir: string, pgdata: string): Credentials {
	const file = path.join(dataDir, 'postgres.json')
	if (!fs.existsSync(file)) {
		if (isInitialised(pgdata)) {
			throw new Error(`${file} is missing, so the password of ${pgdata} is unknown: restore the file, or delete the folder to start with an empty database`)
		}
		const staging = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
		const created: Credentials = { user: 'postgres', password: randomBytes(24).toString('base64url') }
		fs.writeFileSync(staging, `${JSON.stringify(created, null, '\t')}\n`, { mode: 0o600 })
		try {
			fs.linkSync(staging, file)
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
		} finally {
			fs.rmSync(staging, { force: true })
		}
	}
	const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Credentials>
	if (typeof parsed.user !== 'string' || typeof parsed.password !== 'string') {
		throw new Error(`${file} must hold { "user": string, "password": string }`)
	}
	return { user: parsed.user, password: parsed.password }
}

/**
 * The port of a postmaster serving `pgdata`, or undefined when none runs. A postmaster.pid
 * left by a crash is removed here: postgres itself would treat a recycled pid as a live
 * server (it cannot tell a root process it may not signal from its own), and refuse to start.
 */
async function findRunningPostmaster(pgdata: string, credentials: Credentials, log: Log): Promise<number | undefined> {
	const deadline = Date.now() + answerTimeoutMs
	for (;;) {
		const lock = readPostmasterPid(pgdata)
		if (!lock) return undefined
		// A postmaster creates the file first and writes it just after: give it a moment.
		if (!lock.pid && Date.now() - lock.modifiedAt < 2000) {
			await sleep(100)
			continue
		}
		if (!mayBePostmasterOf(lock.pid, pgdata)) {
			log(`Removing stale ${path.join(pgdata, 'postmaster.pid')} (pid ${lock.pid} is not its server)`)
			removeIfUnchanged(path.join(pgdata, 'postmaster.pid'), lock.text)
			return undefined
		}
		if (lock.port && (await answersFor(lock.port, credentials, pgdata))) return lock.port
		if (Date.now() > deadline) {
			throw new Error(`PostgreSQL (pid ${lock.pid}) holds ${pgdata} but does not answer on port ${lock.port}; stop it and retry`)
		}
		await sleep(100)
	}
}

type PostmasterLock = { pid: number, port: number, text: string, modifiedAt: number }

/** postmaster.pid: line 1 the pid (negative in single-user mode), line 4 the port. */
function readPostmasterPid(pgdata: string): PostmasterLock | undefined {
	const file = path.join(pgdata, 'postmaster.pid')
	let text: string
	let modifiedAt: number
	try {
		text = fs.readFileSync(file, 'utf8')
		modifiedAt = fs.statSync(file).mtimeMs
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
		throw error
	}
	const lines = text.split('\n')
	return { pid: Math.abs(Number.parseInt(lines[0] ?? '', 10)) || 0, port: Number.parseInt(lines[3] ?? '', 10) || 0, text, modifiedAt }
}

/** False when `pid` is certainly not a postgres serving `pgdata`; true when it may be. */
function mayBePostmasterOf(pid: number, pgdata: string) {
	if (pid <= 0) return false
	try {
		process.kill(pid, 0)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
	}
	// Without /proc (macOS) only the connection check can tell.
	if (!fs.existsSync('/proc/self/cmdline')) return true
	try {
		// The postmaster keeps its command line; we always start it with `-D <pgdata>`.
		const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
		return path.basename(args[0] ?? '') === 'postgres' && args.includes(pgdata)
	} catch {
		return false
	}
}

function removeIfUnchanged(file: string, text: string) {
	try {
		if (fs.readFileSync(file, 'utf8') === text) fs.rmSync(file)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
	}
}

/** Whether a server on `port` accepts our credentials and serves `pgdata`, not some other cluster. */
async function answersFor(port: number, credentials: Credentials, pgdata: string) {
	const client = new pg.Client({ host: '127.0.0.1', port, ...credentials, database: 'postgres', connectionTimeoutMillis: 2000 })
	client.on('error', () => {})
	try {
		await client.connect()
		const { rows } = await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`)
		return fs.realpathSync(rows[0]!.dir) === pgdata
	} catch {
		return false
	} finally {
		await client.end().catch(() => {})
	}
}

async function createFoyerDatabase(port: number, credentials: Credentials) {
	const client = new pg.Client({ host: '127.0.0.1', port, ...credentials, database: 'postgres' })
	client.on('error', () => {})
	await client.connect()
	try {
		const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName])
		if (rowCount) return
		await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`)
	} catch (error) {
		// Another process created it between our check and our CREATE.
		const code = (error as { code?: string }).code
		if (code !== '42P04' && code !== '23505') throw error
	} finally {
		await client.end()
	}
}

/**
 * initdb runs in a staging folder renamed into place when done, so a crash mid-init leaves
 * no half-made cluster, and of two first starts racing each other one simply wins.
 */
async function initialiseCluster(programs: Programs, pgdata: string, credentials: Credentials, log: Log, throwaway = false) {
	const prefix = `${path.basename(pgdata)}.init-`
	removeAbandonedStaging(path.dirname(pgdata), prefix)
	const staging = path.join(path.dirname(pgdata), `${prefix}${process.pid}-${randomBytes(3).toString('hex')}`)
	const tail = outputTail()
	// UTF-8 with the builtin provider: the same text behaviour on every machine, whatever its locale.
	const flags = ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C', ...(throwaway ? ['--no-sync'] : [])]
	const started = Date.now()
	try {
		await runInitdb(programs, staging, credentials, flags, tail)
		fs.renameSync(staging, pgdata)
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true })
		if (isInitialised(pgdata)) return
		throw new Error(`Could not initialise embedded PostgreSQL in ${pgdata}: ${(error as Error).message ?? error}\n${tail.text()}`, { cause: error })
	}
	log(`Initialised embedded PostgreSQL in ${pgdata} (${Date.now() - started} ms)`)
}

async function startCluster(programs: Programs, pgdata: string, credentials: Credentials, log: Log, throwaway = false): Promise<{ port: number, stop(): Promise<void> }> {
	const started = Date.now()
	const flags = [
		// TCP on loopback only; no Unix socket, so no lock files outside the data dir.
		'-c', 'listen_addresses=127.0.0.1',
		'-c', 'unix_socket_directories=',
		...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
	]
	for (let attempt = 1; ; attempt++) {
		const port = await findFreePort()
		const tail = outputTail()
		let child: ChildProcess
		try {
			child = await startPostmaster(programs, pgdata, port, flags, tail)
		} catch {
			// Another process may have won the race to start this data dir: share its server.
			const running = await findRunningPostmaster(pgdata, credentials, log)
			if (running) {
				log(`Using the embedded PostgreSQL another process started on port ${running} (${pgdata})`)
				return { port: running, stop: async () => {} }
			}
			// Lost the free port to someone else, or old backends still hold shared memory after a crash.
			const retryable = /could not bind|already in use|is still in use|could not create listen socket/i.test(tail.text())
			if (retryable && attempt < 5) {
				await sleep(200 * attempt)
				continue
			}
			throw new Error(`Embedded PostgreSQL did not start in ${pgdata}:\n${tail.text()}`)
		}
		log(`Started embedded PostgreSQL on port ${port} (${Date.now() - started} ms)`)
		return { port, stop: ownedStop(child) }
	}
}

/**
 * The server does not keep this process alive (a CLI that forgets stop() still exits), and
 * when this process exits without stop() it is fast-shut-down rather than orphaned.
 */
function ownedStop(child: ChildProcess) {
	// The pipes are sockets: they too hold the event loop until unref'd.
	const handles = [child, child.stdout, child.stderr] as ({ ref(): void, unref(): void } | null)[]
	for (const handle of handles) handle?.unref()
	const onExit = () => child.kill('SIGINT')
	process.on('exit', onExit)
	let stopping: Promise<void> | undefined
	return () => {
		stopping ??= (async () => {
			process.removeListener('exit', onExit)
			if (child.exitCode !== null || child.signalCode !== null) return
			// Wait for the shutdown even if nothing else keeps this process alive.
			for (const handle of handles) handle?.ref()
			const exited = new Promise((resolve) => child.once('exit', resolve))
			// SIGINT: PostgreSQL's fast shutdown (sessions ended, a clean checkpoint).
			child.kill('SIGINT')
			await exited
		})()
		return stopping
	}
}

function findFreePort() {
	return new Promise<number>((resolve, reject) => {
		const server = net.createServer()
		server.unref()
		server.on('error', reject)
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo
			server.close(() => resolve(port))
		})
	})
}
