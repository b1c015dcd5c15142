import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defineConfig, devices, type ReporterDescription } from '@playwright/test'

/**
 * Browser tests against the built server (`node build/index.js`, run `npx remix build` first),
 * on a free port with a throwaway data dir: embedded PostgreSQL starts empty, so the first start
 * creates the operator org and the demo org `acme`; global-setup.ts adds `globex` with the CLI.
 *
 * Playwright evaluates this file in the runner and again in every worker. Only the runner picks
 * the port and the data dir; it hands them to workers (and to the web server and global setup)
 * through the environment, so every evaluation agrees.
 */
const owner = String(process.pid)
const isWorker = process.env.TEST_WORKER_INDEX !== undefined
if (!isWorker && process.env.FOYER_E2E_OWNER !== owner) {
	process.env.FOYER_E2E_OWNER = owner
	process.env.FOYER_E2E_PORT = String(freePort())
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-e2e-'))
	process.env.FOYER_E2E_DATA_DIR = dataDir
	// Playwright stops the web server after globalTeardown has run, so the data dir is removed
	// only when the runner exits: by then the server (and its PostgreSQL) have stopped.
	process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }))
}
const port = process.env.FOYER_E2E_PORT
// The server and the specs share one embedded database, and specs read mail from its dev outbox
// (test/e2e/outbox.ts): a DATABASE_URL or SMTP_URL from the shell would take both away.
delete process.env.DATABASE_URL
delete process.env.SMTP_URL

const reporter: ReporterDescription[] = [['list']]
// The json reporter writes to PLAYWRIGHT_JSON_OUTPUT_NAME (test/run.js sets it).
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporter.push(['json'])

export default defineConfig({
	testDir: 'test/e2e',
	// Not test-results/ itself: Playwright empties its output dir, and test/run.js keeps other reports there.
	outputDir: 'test-results/e2e',
	globalSetup: './test/e2e/global-setup.ts',
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	workers: 2,
	// Generous: argon2 and Chromium share two cores with the server on a small CI machine.
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter,
	use: {
		// Tests name their hosts explicitly (fixtures.ts `host()`), so there is no baseURL.
		// Recording a trace slows every test by about a quarter; ask for one with `--trace on`.
		trace: 'off',
		screenshot: 'only-on-failure',
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
					args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
				},
			},
		},
	],
	webServer: {
		command: 'node build/index.js',
		url: `http://127.0.0.1:${port}/readyz`,
		env: {
			PORT: String(port),
			// Loopback only: Chromium resolves *.localhost to loopback without DNS.
			HOST: '127.0.0.1',
			FOYER_DATA_DIR: process.env.FOYER_E2E_DATA_DIR ?? '',
			// Every browser connects from 127.0.0.1; each test sends its own X-Forwarded-For
			// (fixtures.ts) so the per-IP email limit counts tests apart, as a proxy would tell users apart.
			TRUST_PROXY: 'true',
			LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
		},
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'pipe',
		stderr: 'pipe',
		// SIGTERM lets the server stop its embedded PostgreSQL before the data dir is removed.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
	},
})

/** A port nothing listens on now. Synchronous because the config must be known when it loads. */
function freePort(): number {
	const script = "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close() })"
	return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))
}
