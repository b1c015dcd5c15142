import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { freePort, runCli } from '../setup/foyer'

const serverBuild = path.resolve(import.meta.dirname, '..', '..', 'build', 'index.js')

/**
 * The README's first command in a checkout inside a private (mode 700) folder, as root does with
 * `git clone` in /root: `npm start` must come up on the embedded database, and the `foyer` CLI
 * must share it. As root, PostgreSQL runs as the unprivileged `postgres` user, who can reach
 * neither the binaries under node_modules nor ./.data there; as anyone else, it runs as the user
 * and the same start must simply work.
 */
const root = path.resolve(import.meta.dirname, '..', '..')
const isRoot = process.getuid?.() === 0
let privateDir: string | undefined
let server: ChildProcess | undefined
const cleanups: (() => void)[] = []

afterAll(async () => {
	if (server && server.exitCode === null && server.signalCode === null) {
		const exited = new Promise((resolve) => server!.once('exit', resolve))
		server.kill('SIGKILL')
		await exited
	}
	for (const cleanup of cleanups.reverse()) cleanup()
	// rm(1) unlinks the ~36,000 hard links several times faster than fs.rmSync.
	if (privateDir && spawnSync('rm', ['-rf', privateDir]).status !== 0) fs.rmSync(privateDir, { recursive: true, force: true })
})

/**
 * A checkout as `git clone && npm install && npm run build` leaves it: the files git tracks (or would), the
 * generated Prisma client and the build output (mtimes kept, so start does not rebuild), and
 * node_modules hard-linked, so the PostgreSQL binaries' path really lies inside the private folder.
 */
function copyCheckout(into: string) {
	const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
	expect(files.status, files.stderr).toBe(0)
	// (A worktree's node_modules may be a symlink, which git does not ignore as it does the folder.)
	for (const file of files.stdout.split('\0').filter((name) => name && name !== 'node_modules')) {
		const source = path.join(root, file)
		if (!fs.existsSync(source)) continue
		fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true })
		fs.cpSync(source, path.join(into, file), { preserveTimestamps: true, verbatimSymlinks: true })
	}
	for (const generated of ['build', path.join('public', 'build'), path.join('app', 'generated')]) {
		fs.cpSync(path.join(root, generated), path.join(into, generated), { recursive: true, preserveTimestamps: true })
	}
	const linked = spawnSync('cp', ['-al', fs.realpathSync(path.join(root, 'node_modules')), path.join(into, 'node_modules')], { encoding: 'utf8' })
	expect(linked.status, linked.stderr).toBe(0)
}

async function waitFor(child: ChildProcess, output: () => string, port: number) {
	const deadline = Date.now() + 60_000
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`)
		if (output().includes('Foyer is running.')) {
			const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null)
			if (health?.status === 200) return
		}
		await new Promise((resolve) => setTimeout(resolve, 100))
	}
	throw new Error(`npm start did not come up in 60 s:\n${output()}`)
}

it(`npm start works in a checkout inside a mode-700 folder${isRoot ? ' as root' : ''}, and the CLI shares its database`, async () => {
	// On the checkout's own filesystem (hard links), in a folder git ignores.
	fs.mkdirSync(path.join(root, '.cache'), { recursive: true })
	privateDir = fs.mkdtempSync(path.join(root, '.cache', 'private-'))
	fs.chmodSync(privateDir, 0o700)
	const checkout = path.join(privateDir, 'foyer')
	const copied = Date.now()
	copyCheckout(checkout)
	const copyMs = Date.now() - copied

	const port = await freePort()
	const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'development' }
	for (const name of ['DATABASE_URL', 'FOYER_DATA_DIR', 'REDIS_URL', 'FOYER_SECRET_KEY', 'FOYER_PASSWORD_PEPPER', 'FOYER_SESSION_SECRET']) delete env[name]
	const dataDir = path.join(checkout, '.data')
	cleanups.push(() => {
		// As root the cluster lives where the postgres user can reach it; .data/postgres points there.
		const link = path.join(dataDir, 'postgres')
		if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(path.dirname(path.resolve(dataDir, fs.readlinkSync(link))), { recursive: true, force: true })
	})

	let output = ''
	const started = Date.now()
	server = spawn(process.execPath, [path.join('app', 'cli', 'start.js')], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] })
	server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	await waitFor(server, () => output, port)
	const startMs = Date.now() - started
	expect(output).not.toContain('Building Foyer')

	const cli = await runCli(['orgs', 'list', '--json'], env, undefined, checkout)
	expect(cli.code, cli.stderr).toBe(0)
	expect(JSON.stringify(cli.json)).toContain('acme')
	// The credentials stay in the data dir, whoever can read the cluster.
	expect(fs.statSync(path.join(dataDir, 'postgres.json')).mode & 0o777).toBe(0o600)

	const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve))
	server.kill('SIGTERM')
	expect(await exited).toBe(0)
	const pgdata = fs.realpathSync(path.join(dataDir, 'postgres'))
	expect(fs.existsSync(path.join(pgdata, 'postmaster.pid')), 'PostgreSQL stopped with the server').toBe(false)
	console.info(`private checkout: copied in ${copyMs} ms, started in ${startMs} ms, cluster in ${pgdata}`)
})

it('a database setup problem stops the start with one sentence saying what to do, not a stack trace', async () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-setup-'))
	cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
	// The cluster's folder was removed by hand, the link to it left behind.
	fs.symlinkSync(path.join(dataDir, 'gone', 'postgres'), path.join(dataDir, 'postgres'))
	const env: NodeJS.ProcessEnv = { ...process.env, FOYER_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' }
	delete env['DATABASE_URL']
	const result = spawnSync(process.execPath, [serverBuild], { cwd: root, env, encoding: 'utf8', timeout: 30_000 })
	expect(result.status).toBe(1)
	const lines = result.stderr.split('\n').filter((line) => line && !line.startsWith('oidc-provider WARNING'))
	expect(lines).toEqual([`${path.join(dataDir, 'postgres')} links to ${path.join(dataDir, 'gone', 'postgres')}, whose folder is gone: restore it, or delete ${path.join(dataDir, 'postgres')} to start with an empty database.`])
})
