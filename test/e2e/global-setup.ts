import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { orgs } from './fixtures'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..', '..')

/**
 * Runs after the web server is up: creates the second org with the `foyer` CLI, which reaches the
 * server's embedded PostgreSQL through the same data dir. The server serves it at once (org
 * lookups cache only hits). The data dir is removed by playwright.config.ts when the run ends.
 */
export default async function globalSetup() {
	const { globex } = orgs
	const args = ['orgs', 'create', '--name', globex.name, '--slug', globex.slug, '--color', globex.color, '--json']
	const env = {
		...process.env,
		FOYER_DATA_DIR: process.env.FOYER_E2E_DATA_DIR,
		PORT: process.env.FOYER_E2E_PORT,
		LOG_LEVEL: 'warn',
	}
	const { stdout } = await run(process.execPath, [path.join(root, 'app', 'cli', 'foyer.js'), ...args], { cwd: root, env, timeout: 60_000 }).catch((error: unknown) => {
		const { stdout: out = '', stderr = '' } = error as { stdout?: string; stderr?: string }
		throw new Error(`foyer ${args.join(' ')} failed:\n${stderr}${out}`, { cause: error })
	})
	const created = JSON.parse(stdout) as { slug?: string }
	if (created.slug !== globex.slug) throw new Error(`foyer orgs create printed ${stdout}`)
}
