import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestDatabase } from '../setup/database'
import { startFoyer, type Foyer } from '../setup/foyer'

/**
 * Two instances behind one Redis share the sign-in throttle; when Redis goes away an instance
 * keeps answering with per-process limits. The servers share one database and one set of
 * secrets, as a real multi-instance deployment does.
 */
const redisUrl = inject('redisUrl')
// Keys of this file only, so files running in parallel (and a shared TEST_REDIS_URL) never mix.
const prefix = `foyer-test-${randomBytes(4).toString('hex')}:`

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } })

let database: Awaited<ReturnType<typeof createTestDatabase>>
let a: Foyer
let b: Foyer
let redis: Redis

beforeAll(async () => {
	database = await createTestDatabase()
	// Behind a (simulated) proxy, so requests can come from IPs of their own.
	const env = { TRUST_PROXY: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }
	a = await startFoyer({ databaseUrl: database.url, env })
	b = await startFoyer({ databaseUrl: database.url, env: { ...env, ...a.secretsEnv() } })
	redis = new Redis(redisUrl)
})

afterAll(async () => {
	await Promise.all([a?.stop(), b?.stop()])
	if (redis) {
		const keys = await redis.keys(`${prefix}*`)
		if (keys.length) await redis.del(...keys)
		await redis.quit()
	}
	await database?.drop()
})

/** An acme account made with the CLI, which prints the generated password once. */
async function createUser(email: string) {
	const result = await a.cli(['users', 'create', '--org', 'acme', '--email', email, '--json'])
	expect(result.code, result.stderr).toBe(0)
	return { email, password: String(result.json!['password']) }
}

function signIn(server: Foyer, fields: { email: string; password: string }, ip: string) {
	return server.client('acme').post('/login', fields, from(ip))
}

describe('sign-in throttle shared through Redis', () => {
	it('reports Redis in /readyz', async () => {
		for (const server of [a, b]) {
			const response = await server.client('acme').request('/readyz')
			expect(response.status).toBe(200)
			expect(await response.json()).toEqual({ status: 'ready', redis: 'ok' })
		}
	})

	it('adds failures on both servers up to one limit of 10, then both refuse the account', async () => {
		const ada = await createUser('ada@example.com')
		// Alternating servers: with per-process counts each would have seen only 5.
		for (let i = 0; i < 10; i++) {
			const response = await signIn(i % 2 === 0 ? a : b, { email: ada.email, password: `wrong guess number ${i}` }, `198.51.100.${i + 1}`)
			expect(response.status, `attempt ${i + 1}`).toBe(400)
		}
		for (const server of [a, b]) {
			const blocked = await signIn(server, ada, '198.51.100.20')
			expect(blocked.status).toBe(429)
			expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
			expect(await blocked.text()).toMatch(/Too many attempts\. Try again in \d+ minutes\./)
		}
		const keys = await redis.keys(`${prefix}fail:account:*`)
		expect(keys).toContainEqual(expect.stringMatching(/:ada@example\.com$/))
		expect(await redis.keys(`${prefix}fail:ip:*`)).toContain(`${prefix}fail:ip:198.51.100.1`)

		// Another account is not affected, on either server.
		const grace = await createUser('grace@example.com')
		expect((await signIn(a, grace, '198.51.100.21')).status).toBe(302)
		expect((await signIn(b, grace, '198.51.100.21')).status).toBe(302)
	})

	it('clears the account count in Redis when it signs in, on whichever server', async () => {
		const linus = await createUser('linus@example.com')
		for (let i = 0; i < 3; i++) expect((await signIn(a, { email: linus.email, password: 'a typo in my password' }, '198.51.100.30')).status).toBe(400)
		const [key] = await redis.keys(`${prefix}fail:account:*:linus@example.com`)
		expect(key).toBeDefined()
		expect(await redis.get(key!)).toBe('3')
		expect((await signIn(b, linus, '198.51.100.30')).status).toBe(302)
		expect(await redis.exists(key!)).toBe(0)
	})
})

describe('when Redis goes away', () => {
	let proxy: Awaited<ReturnType<typeof startProxy>>
	let c: Foyer

	beforeAll(async () => {
		// A proxy the test can cut: the shared Redis stays up for the other files.
		proxy = await startProxy(redisUrl)
		c = await startFoyer({
			databaseUrl: database.url,
			env: { TRUST_PROXY: 'true', REDIS_URL: proxy.url, REDIS_KEY_PREFIX: `${prefix}c:`, ...a.secretsEnv() },
		})
	})

	afterAll(async () => {
		await c?.stop()
		await proxy?.close()
	})

	it('keeps answering sign-ins with per-process limits, not 500s', async () => {
		const mary = await createUser('mary@example.com')
		expect((await signIn(c, { email: mary.email, password: 'wrong before the outage' }, '198.51.100.40')).status).toBe(400)
		expect(await redis.keys(`${prefix}c:fail:account:*`)).toHaveLength(1)

		await proxy.cut()
		await expect.poll(async () => (await (await c.client('acme').request('/readyz')).json()) as unknown, { timeout: 10_000 }).toEqual({ status: 'ready', redis: 'unreachable' })

		// The in-process insurance limiter starts from zero and still enforces the policy.
		for (let i = 0; i < 10; i++) {
			const response = await signIn(c, { email: mary.email, password: `wrong during the outage ${i}` }, '198.51.100.41')
			expect(response.status, `attempt ${i + 1}`).toBe(400)
		}
		const blocked = await signIn(c, mary, '198.51.100.42')
		expect(blocked.status).toBe(429)
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(c.output()).toMatch(/redis unreachable/)
	})
})

/** A TCP proxy to Redis; cut() closes it and every connection through it, as a dead Redis would. */
async function startProxy(target: string) {
	const upstream = new URL(target)
	const sockets = new Set<net.Socket>()
	const server = net.createServer((client) => {
		const remote = net.connect(Number(upstream.port) || 6379, upstream.hostname)
		for (const socket of [client, remote]) {
			sockets.add(socket)
			socket.on('error', () => {})
			socket.on('close', () => {
				sockets.delete(socket)
				client.destroy()
				remote.destroy()
			})
		}
		client.pipe(remote).pipe(client)
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as net.AddressInfo
	// Same credentials and database as the target, another host:port.
	const url = new URL(target)
	url.hostname = '127.0.0.1'
	url.port = String(port)
	const cut = async () => {
		const closed = new Promise((resolve) => server.close(resolve))
		for (const socket of sockets) socket.destroy()
		await closed
	}
	return { url: url.toString(), cut, close: () => (server.listening ? cut() : Promise.resolve()) }
}
