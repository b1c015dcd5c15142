import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..', '..')

/**
 * Runs the `foyer` CLI against the e2e server's data dir (playwright.config.ts hands it over in
 * FOYER_E2E_DATA_DIR): the CLI reaches the server's embedded PostgreSQL through its postmaster.pid.
 * Returns stdout; a failure throws with the CLI's own output.
 */
export async function foyer(args: string[]): Promise<string> {
	const env = {
		...process.env,
		FOYER_DATA_DIR: process.env.FOYER_E2E_DATA_DIR,
		PORT: process.env.FOYER_E2E_PORT,
		LOG_LEVEL: 'warn',
	}
	try {
		const { stdout } = await run(process.execPath, [path.join(root, 'app', 'cli', 'foyer.js'), ...args], { cwd: root, env, timeout: 60_000 })
		return stdout
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
		throw new Error(`foyer ${args.join(' ')} failed:\n${stderr}${stdout}`, { cause: error })
	}
}
