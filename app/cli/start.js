#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then runs the server.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
// .env in the checkout, if any (variables already in the environment win).
if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'))
const serverBuild = path.join(root, 'build', 'index.js')
const sources = ['app', 'themes', 'emails', 'remix.config.js', 'postcss.config.js', 'package-lock.json']

function newestMtime(target) {
	if (!fs.existsSync(target)) return 0
	const stat = fs.statSync(target)
	if (!stat.isDirectory()) return stat.mtimeMs
	let newest = 0
	for (const entry of fs.readdirSync(target)) {
		if (entry === 'generated' || entry.startsWith('.')) continue
		newest = Math.max(newest, newestMtime(path.join(target, entry)))
	}
	return newest
}

const built = fs.existsSync(serverBuild) ? fs.statSync(serverBuild).mtimeMs : 0
if (built < Math.max(...sources.map((source) => newestMtime(path.join(root, source))))) {
	process.stderr.write('Building Foyer...\n')
	const result = spawnSync('npx', ['remix', 'build'], { cwd: root, stdio: 'inherit' })
	if (result.status !== 0) process.exit(result.status ?? 1)
}
await import(serverBuild)
