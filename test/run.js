#!/usr/bin/env node
/**
 * `npm test`: installs the system parts the tests need (when it may), builds, runs vitest (unit
 * and integration projects) and Playwright (e2e), streaming their output, and ends with one line
 *
 *   tests: N passed, M failed[, K skipped]
 *
 * summed from both runners' JSON reports (kept in test-results/). Exits non-zero when anything
 * failed or a runner could not finish.
 *
 *   npm test                       everything
 *   npm test -- --unit             vitest's unit project only (no build, no browser)
 *   npm test -- --integration      vitest's integration project (builds first)
 *   npm test -- --e2e              Playwright only (builds first)
 * Flags combine: `npm test -- --unit --e2e`.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const reportsDir = path.join(root, 'test-results')
const vitestReport = path.join(reportsDir, 'vitest.json')
const playwrightReport = path.join(reportsDir, 'playwright.json')

const SUITES = ['unit', 'integration', 'e2e']

/**
 * What the tests need from the operating system, beyond npm packages. `check` says whether it is
 * there; a missing part is installed with apt-get when running as root on Debian/Ubuntu, and
 * otherwise `help` says how to get it. Add a row for each new part.
 */
const systemParts = [
	{
		name: 'Chromium',
		neededBy: ['e2e'],
		check: () => isExecutable(chromiumPath()),
		// A CHROMIUM_PATH that points nowhere is the user's choice to fix, not ours to paper over.
		aptPackage: process.env.CHROMIUM_PATH ? null : 'chromium',
		help: 'Chromium is required for the browser tests: sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome binary',
	},
	{
		name: 'Redis',
		neededBy: ['integration'],
		// test/setup/global-redis.ts starts its own redis-server unless TEST_REDIS_URL names a running one.
		check: () => Boolean(process.env.TEST_REDIS_URL) || onPath('redis-server'),
		aptPackage: 'redis-server',
		help: 'redis-server is required for the integration tests (shared rate limits): sudo apt-get install -y redis-server (Debian/Ubuntu), brew install redis (macOS), or set TEST_REDIS_URL to a running Redis',
	},
]

const selected = parseFlags(process.argv.slice(2))
const results = []
let current = null
let interrupted = null

// Ctrl-C reaches the running tool from the terminal as well, and a second SIGINT would make
// Playwright quit without stopping its web server, so SIGINT is not passed on. SIGTERM (sent to
// this process alone) is passed on as SIGINT: on SIGTERM Playwright dies at once, leaving the
// server and its PostgreSQL running; on SIGINT it stops the run and its web server cleanly.
process.on('SIGINT', () => {
	interrupted = 'SIGINT'
})
process.on('SIGTERM', () => {
	interrupted = 'SIGTERM'
	current?.kill('SIGINT')
})

ensureSystemParts()
fs.mkdirSync(reportsDir, { recursive: true })

let built = true
if (selected.has('integration') || selected.has('e2e')) {
	const code = await step('build', 'remix', ['build'])
	built = code === 0
	if (!built) results.push({ runner: 'build', passed: 0, failed: 1, skipped: 0, note: `the build failed (exit code ${code}); integration and e2e tests did not run` })
}

const vitestProjects = ['unit', 'integration'].filter((project) => selected.has(project) && (project === 'unit' || built))
if (vitestProjects.length && !interrupted) {
	fs.rmSync(vitestReport, { force: true })
	// Both projects: no --project flag, so every project in vitest.config.ts runs.
	const projectArgs = vitestProjects.length === 2 ? [] : ['--project', vitestProjects[0]]
	const code = await step('vitest', 'vitest', ['run', ...projectArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`])
	results.push(summarizeVitest(code))
}

if (selected.has('e2e') && built && !interrupted) {
	fs.rmSync(playwrightReport, { force: true })
	const code = await step('playwright', 'playwright', ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport })
	results.push(summarizePlaywright(code))
}

const total = { passed: 0, failed: 0, skipped: 0 }
for (const result of results) {
	if (result.note) process.stdout.write(`${result.runner}: ${result.note}\n`)
	total.passed += result.passed
	total.failed += result.failed
	total.skipped += result.skipped
}
if (interrupted) process.stdout.write(`interrupted by ${interrupted}\n`)
process.stdout.write(`\ntests: ${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}\n`)
process.exitCode = total.failed > 0 || results.some((result) => result.crashed) || interrupted ? 1 : 0

function parseFlags(args) {
	const chosen = new Set()
	for (const arg of args) {
		const name = arg.replace(/^--/, '')
		if (arg === '--help' || arg === '-h') {
			process.stdout.write('usage: npm test [-- --unit] [--integration] [--e2e]   (no flag: all)\n')
			process.exit(0)
		}
		if (!arg.startsWith('--') || !SUITES.includes(name)) {
			process.stderr.write(`test/run.js: unknown argument ${arg}\nusage: npm test [-- --unit] [--integration] [--e2e]   (no flag: all)\n`)
			process.exit(2)
		}
		chosen.add(name)
	}
	return chosen.size ? chosen : new Set(SUITES)
}

function chromiumPath() {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium'
}

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK)
		return fs.statSync(file).isFile()
	} catch {
		return false
	}
}

function onPath(command) {
	return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, command)))
}

function canUseApt() {
	return process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && onPath('apt-get')
}

/** Installs what is missing when it may (root + apt), else says what to install and exits 1. */
function ensureSystemParts() {
	const needed = systemParts.filter((part) => part.neededBy.some((suite) => selected.has(suite)))
	let missing = needed.filter((part) => !part.check())
	const installable = missing.filter((part) => part.aptPackage)
	if (installable.length && canUseApt()) {
		const packages = installable.map((part) => part.aptPackage)
		process.stdout.write(`Installing ${installable.map((part) => part.name).join(', ')} with apt-get (${packages.join(' ')})\n`)
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
		const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env })
		if (update.status === 0) spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit', env })
		missing = missing.filter((part) => !part.check())
	}
	if (missing.length === 0) return
	for (const part of missing) process.stderr.write(`${part.help}\n`)
	process.exit(1)
}

/** Runs a tool from node_modules/.bin with live output; resolves to its exit code (-1 when it could not start). */
function step(label, tool, args, env = {}) {
	const started = Date.now()
	process.stdout.write(`\n== ${label}: ${[tool, ...args].join(' ')}\n`)
	return new Promise((resolve) => {
		const child = spawn(path.join(root, 'node_modules', '.bin', tool), args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
		current = child
		child.on('error', (error) => {
			process.stderr.write(`${label}: could not start ${tool}: ${error.message}\n`)
			current = null
			resolve(-1)
		})
		child.on('close', (code, signal) => {
			current = null
			process.stdout.write(`== ${label}: ${code === 0 ? 'ok' : `exit ${code ?? signal}`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
			resolve(code ?? -1)
		})
	})
}

function stoppedEarly(code) {
	return interrupted ? `stopped early by ${interrupted} (counted as 1 failed)` : `exited with code ${code} although no test failed (counted as 1 failed)`
}

function readReport(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'))
	} catch {
		return null
	}
}

/**
 * A test file that fails outside any test (an import error, a failing beforeAll or global
 * setup) has no failed test of its own; it counts as one failure so the line never reads
 * "0 failed" for a run that failed.
 */
function summarizeVitest(code) {
	const report = readReport(vitestReport)
	if (!report) return { runner: 'vitest', passed: 0, failed: 1, skipped: 0, crashed: true, note: `exited with code ${code} without writing ${path.relative(root, vitestReport)} (counted as 1 failed)` }
	const brokenFiles = (report.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'))
	const result = {
		runner: 'vitest',
		passed: report.numPassedTests ?? 0,
		failed: (report.numFailedTests ?? 0) + brokenFiles.length,
		skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
	}
	if (brokenFiles.length) result.note = `${brokenFiles.length} test file(s) failed outside any test (each counted as 1 failed): ${brokenFiles.map((file) => path.relative(root, file.name)).join(', ')}`
	if (code !== 0 && result.failed === 0) return { ...result, failed: 1, crashed: true, note: stoppedEarly(code) }
	return result
}

/** Errors outside tests (web server failed to start, global setup threw, a spec did not load) count as one failure each. */
function summarizePlaywright(code) {
	const report = readReport(playwrightReport)
	if (!report) return { runner: 'playwright', passed: 0, failed: 1, skipped: 0, crashed: true, note: `exited with code ${code} without writing ${path.relative(root, playwrightReport)} (counted as 1 failed)` }
	const stats = report.stats ?? {}
	const errors = report.errors ?? []
	const result = {
		runner: 'playwright',
		passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
		failed: (stats.unexpected ?? 0) + errors.length,
		skipped: stats.skipped ?? 0,
	}
	if (errors.length) result.note = `${errors.length} error(s) outside tests (each counted as 1 failed): ${errors.map((error) => (error.message ?? '').split('\n')[0]).join(' | ')}`
	if (code !== 0 && result.failed === 0) return { ...result, failed: 1, crashed: true, note: stoppedEarly(code) }
	return result
}
