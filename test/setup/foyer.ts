import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { fetch } from 'undici'
import { Client, loopback } from './http'

const root = path.resolve(import.meta.dirname, '..', '..')
const serverBuild = path.join(root, 'build', 'index.js')

export type Foyer = {
	port: number
	databaseUrl: string
	dataDir: string
	/** Admin credentials printed on first start, by org slug. */
	admins: Record<string, { email: string; password: string }>
	origin(host: string): string
	/** A fresh cookie-jar client for an org's default host (`acme` → acme.localhost:PORT). */
	client(slug: string): Client
	/** Runs the `foyer` CLI against this server's database. */
	cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: Record<string, unknown> | null }>
	/** SQL straight to the database, for arranging and inspecting state. */
	sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>
	/** This server's secrets as env vars, so a second server can share its encrypted data. */
	secretsEnv(): Record<string, string>
	/** Lines the server wrote, for asserting on logs. */
	output(): string
	stop(): Promise<void>
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer()
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo
			server.close(() => resolve(port))
		})
		server.on('error', reject)
	})
}

/**
 * Starts the built server (`node build/index.js`, as `npm start` does) on a free port against the
 * given database, with a data dir of its own. The first start creates the operator and demo orgs.
 */
export async function startFoyer(options: { databaseUrl: string; env?: Record<string, string> }): Promise<Foyer> {
	if (!fs.existsSync(serverBuild)) throw new Error('build/index.js is missing: run `npm run build` first (`npm test` does)')
	const port = await freePort()
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-test-'))
	const env = {
		...process.env,
		DATABASE_URL: options.databaseUrl,
		FOYER_DATA_DIR: dataDir,
		PORT: String(port),
		HOST: '127.0.0.1',
		LOG_LEVEL: 'warn',
		...options.env,
	}
	let output = ''
	const child: ChildProcess = spawn(process.execPath, [serverBuild], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	await waitForHealth(port, child, () => output)

	const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 })
	const foyer: Foyer = {
		port,
		databaseUrl: options.databaseUrl,
		dataDir,
		admins: parseAdmins(output),
		origin: (host) => `http://${host}:${port}`,
		client: (slug) => new Client(`http://${slug === 'operator' ? 'localhost' : `${slug}.localhost`}:${port}`),
		cli: (args) => runCli(args, env),
		sql: async (text, values) => (await pool.query(text, values)).rows,
		output: () => output,
		secretsEnv: () => {
			const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>
			return { FOYER_SECRET_KEY: secrets.secretKey!, FOYER_PASSWORD_PEPPER: secrets.passwordPepper!, FOYER_SESSION_SECRET: secrets.sessionSecret! }
		},
		stop: async () => {
			await pool.end()
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve))
				child.kill('SIGTERM')
				await exited
			}
			fs.rmSync(dataDir, { recursive: true, force: true })
		},
	}
	return foyer
}

async function waitForHealth(port: number, child: ChildProcess, output: () => string) {
	const deadline = Date.now() + 30_000
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Foyer exited with ${child.exitCode}:\n${output()}`)
		try {
			const response = await fetch(`http://127.0.0.1:${port}/readyz`, { dispatcher: loopback })
			if (response.ok) return
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 50))
	}
	child.kill('SIGKILL')
	throw new Error(`Foyer did not become ready in 30 s:\n${output()}`)
}

/** Reads the first-start banner: `  Acme       admin@acme.localhost   <password>`. */
function parseAdmins(output: string) {
	const admins: Foyer['admins'] = {}
	for (const match of output.matchAll(/^\s+\S.*?\s+(admin@(\S+?)\.localhost)\s+(\S+)$/gm)) {
		admins[match[2]!] = { email: match[1]!, password: match[3]! }
	}
	return admins
}

/** Runs the `foyer` CLI of the checkout at `checkout` (this one by default). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string, checkout = root): ReturnType<Foyer['cli']> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(checkout, 'app', 'cli', 'foyer.js'), ...args], { cwd: checkout, env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
		if (stdin !== undefined) child.stdin!.end(stdin)
		let stdout = ''
		let stderr = ''
		child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
		child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
		child.on('error', reject)
		child.on('close', (code) => {
			let json: Record<string, unknown> | null = null
			try {
				json = JSON.parse(stdout) as Record<string, unknown>
			} catch {
				json = null
			}
			resolve({ code: code ?? -1, stdout, stderr, json })
		})
	})
}
