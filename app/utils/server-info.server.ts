import fs from 'node:fs'
import path from 'node:path'

/**
 * A running server notes its port in the data dir, so the CLI (run without PORT) prints URLs
 * that work: `PORT=3210 npm start`, then `npx foyer orgs create ...` shows :3210, not :3000.
 */
type ServerInfo = { pid: number; port: number }

const file = (dataDir: string) => path.join(dataDir, 'server.json')

export function writeServerInfo(dataDir: string, info: ServerInfo) {
	fs.mkdirSync(dataDir, { recursive: true })
	fs.writeFileSync(file(dataDir), `${JSON.stringify(info)}\n`)
}

export function removeServerInfo(dataDir: string) {
	fs.rmSync(file(dataDir), { force: true })
}

/** The running server's info, or null when none runs (a stale file from a crash is ignored). */
export function readServerInfo(dataDir: string): ServerInfo | null {
	try {
		const info = JSON.parse(fs.readFileSync(file(dataDir), 'utf8')) as ServerInfo
		process.kill(info.pid, 0)
		return info
	} catch {
		return null
	}
}
