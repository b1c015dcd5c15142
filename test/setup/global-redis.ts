/**
 * vitest globalSetup for the integration project: one Redis for the whole run, a throwaway
 * redis-server on a free loopback port (no persistence), or the server at TEST_REDIS_URL. Test
 * files read its URL with inject('redisUrl') and keep their keys apart with a key prefix of
 * their own (REDIS_KEY_PREFIX for the servers they start).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import type { TestProject } from 'vitest/node'
import { freePort } from './foyer'

declare module 'vitest' {
	export interface ProvidedContext {
		redisUrl: string
	}
}

const INSTALL_HELP = 'redis-server is not installed, and the integration tests need a Redis: install it with `apt-get install -y redis-server` (Debian/Ubuntu; `npm test` does this when run as root) or `brew install redis`, or set TEST_REDIS_URL to a running Redis.'

export default async function setup(project: TestProject) {
	const external = process.env.TEST_REDIS_URL
	if (external) {
		await waitForPing(external, 10_000)
		project.provide('redisUrl', external)
		return
	}
	const server = await startRedisServer()
	project.provide('redisUrl', server.url)
	return server.stop
}

/** A throwaway redis-server on a free loopback port, answering PING when this resolves. */
async function startRedisServer(): Promise<{ url: string; stop(): Promise<void> }> {
	const binary = findOnPath('redis-server')
	if (!binary) throw new Error(INSTALL_HELP)
	const port = await freePort()
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning']
	const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
	let output = ''
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	const url = `redis://127.0.0.1:${port}`
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return
		const exited = new Promise((resolve) => child.once('exit', resolve))
		child.kill('SIGTERM')
		await exited
	}
	try {
		await waitForPing(url, 10_000, () => {
			if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output}`)
		})
	} catch (error) {
		await stop()
		throw error
	}
	return { url, stop }
}

function findOnPath(command: string) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const file = dir && path.join(dir, command)
		try {
			if (file && fs.statSync(file).isFile()) {
				fs.accessSync(file, fs.constants.X_OK)
				return file
			}
		} catch {
			// not here
		}
	}
	return null
}

/** Resolves once Redis answers PING (one short-lived connection per try, no reconnect loop). */
async function waitForPing(url: string, timeoutMs: number, check: () => void = () => {}) {
	const deadline = Date.now() + timeoutMs
	let lastError: unknown
	while (Date.now() < deadline) {
		check()
		const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1_000 })
		client.on('error', () => {})
		try {
			await client.connect()
			if ((await client.ping()) === 'PONG') return
		} catch (error) {
			lastError = error
		} finally {
			client.disconnect()
		}
		await new Promise((resolve) => setTimeout(resolve, 50))
	}
	throw new Error(`Redis at ${new URL(url).host} did not answer PING in ${timeoutMs / 1000} s${lastError instanceof Error ? `: ${lastError.message}` : ''}`)
}
