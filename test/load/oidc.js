/**
 * The token endpoint under load (issue: apps sign users in through Foyer):
 *   - refresh_token grants/s and client_credentials grants/s, Foyer vs a bare in-memory
 *     oidc-provider (bare-provider.js) measured in the same run at the same concurrency;
 *   - full code + PKCE flows/s through Foyer for a signed-in user of a first-party app
 *     (authorize → interaction → code → token), no baseline.
 * Every response is checked; a refresh chain follows rotation (each worker keeps its own token).
 */
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { Pool } from 'undici'

const CALLBACK = 'https://app.example/cb'
const base64url = (buffer) => buffer.toString('base64url')
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

export async function startBareProvider({ root, cleanups }) {
	const child = spawn(process.execPath, [path.join(root, 'test', 'load', 'bare-provider.js')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } })
	cleanups.push(() => child.kill('SIGTERM'))
	const line = await new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (chunk) => {
			out += chunk
			if (out.includes('\n')) resolve(out.split('\n')[0])
		})
		child.on('exit', (code) => reject(new Error(`bare provider exited with ${code}`)))
	})
	return { ...JSON.parse(line), pid: child.pid }
}

/** A token endpoint client: form POSTs with Basic auth through a keep-alive pool. */
function tokenClient({ url, path, host, clientId, secret, connections, cleanups }) {
	const pool = new Pool(url, { connections, pipelining: 1 })
	cleanups.push(() => pool.close())
	return async (params) => {
		const response = await pool.request({
			path,
			method: 'POST',
			headers: { ...(host ? { host } : {}), authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(params).toString(),
		})
		const body = await response.body.json().catch(() => ({}))
		return { status: response.statusCode, body }
	}
}

function cookieJar() {
	const jar = new Map()
	return {
		header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
		store(setCookie) {
			for (const raw of [setCookie ?? []].flat()) {
				const [pair] = raw.split(';')
				const eq = pair.indexOf('=')
				const name = pair.slice(0, eq).trim()
				const value = pair.slice(eq + 1).trim()
				if (/max-age=0|expires=thu, 01 jan 1970/i.test(raw) || value === '') jar.delete(name)
				else jar.set(name, value)
			}
		},
	}
}

/**
 * Walks one authorization through Foyer for a browser holding `sessionCookie`, returning the
 * code (or a reason). Same-origin redirects only; the flow ends at the app's callback.
 */
async function authorize({ pool, host, origin, clientId, sessionCookie }) {
	const verifier = base64url(crypto.randomBytes(32))
	const challenge = base64url(crypto.createHash('sha256').update(verifier).digest())
	const state = base64url(crypto.randomBytes(12))
	const jar = cookieJar()
	jar.store(sessionCookie)
	let location = `/oidc/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email offline_access', prompt: 'consent', state, code_challenge: challenge, code_challenge_method: 'S256' })}`
	for (let step = 0; step < 10; step++) {
		const response = await pool.request({ path: location, method: 'GET', headers: { host, cookie: jar.header(), accept: 'text/html' } })
		await response.body.dump()
		jar.store(response.headers['set-cookie'])
		const next = response.headers.location
		if (!next) return { reason: `GET ${location.split('?')[0]}: ${response.statusCode}` }
		const url = new URL(next, origin)
		if (url.href.startsWith(CALLBACK)) {
			const code = url.searchParams.get('code')
			return code ? { code, verifier } : { reason: `callback without code: ${url.search}` }
		}
		if (url.origin !== origin) return { reason: `left the org: ${url.origin}` }
		location = `${url.pathname}${url.search}`
	}
	return { reason: 'too many redirects' }
}

export async function oidcPhases({ root, server, accountCookie, phase, settings, cleanups, log, runCli }) {
	const host = `acme.localhost:${server.port}`
	const origin = `http://${host}`
	const concurrency = settings.tokenConcurrency

	log('registering a first-party web app and an m2m app in acme')
	const web = await runCli(['apps', 'create', '--org', 'acme', '--name', 'Bench Web', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	const m2m = await runCli(['apps', 'create', '--org', 'acme', '--name', 'Bench M2M', '--type', 'm2m'])
	const bare = await startBareProvider({ root, cleanups })
	const bareSecret = 'bench-secret-bench-secret-bench-secret'

	const foyerWebToken = tokenClient({ url: `http://127.0.0.1:${server.port}`, path: '/oidc/token', host, clientId: web.clientId, secret: web.clientSecret, connections: concurrency, cleanups })
	const foyerM2mToken = tokenClient({ url: `http://127.0.0.1:${server.port}`, path: '/oidc/token', host, clientId: m2m.clientId, secret: m2m.clientSecret, connections: concurrency, cleanups })
	const bareWebToken = tokenClient({ url: bare.issuer, path: '/token', clientId: 'bench-web', secret: bareSecret, connections: concurrency, cleanups })
	const bareM2mToken = tokenClient({ url: bare.issuer, path: '/token', clientId: 'bench-m2m', secret: bareSecret, connections: concurrency, cleanups })
	const flowPool = new Pool(`http://127.0.0.1:${server.port}`, { connections: concurrency, pipelining: 1 })
	cleanups.push(() => flowPool.close())

	// Sanity, and one refresh token per worker for Foyer (through real flows) and for the baseline.
	const foyerChains = []
	for (let i = 0; i < concurrency; i++) {
		const flow = await authorize({ pool: flowPool, host, origin, clientId: web.clientId, sessionCookie: accountCookie })
		if (!flow.code) throw new Error(`authorization through Foyer failed: ${flow.reason}`)
		const tokens = await foyerWebToken({ grant_type: 'authorization_code', code: flow.code, redirect_uri: CALLBACK, code_verifier: flow.verifier })
		if (tokens.status !== 200 || !tokens.body.refresh_token) throw new Error(`code redemption failed: ${tokens.status} ${JSON.stringify(tokens.body)}`)
		foyerChains.push(tokens.body.refresh_token)
	}
	const minted = await (await fetch(`${bare.issuer}/bench/refresh-tokens?n=${concurrency}`, { method: 'POST' })).json()
	const bareChains = minted.tokens

	const refreshTask = (call, chains) => async (_n, worker) => {
		const { status, body } = await call({ grant_type: 'refresh_token', refresh_token: chains[worker] })
		if (status !== 200 || !body.refresh_token) return `refresh: ${status} ${body.error ?? ''}`
		chains[worker] = body.refresh_token
		return true
	}
	const credentialsTask = (call) => async () => {
		const { status, body } = await call({ grant_type: 'client_credentials' })
		return status === 200 && body.access_token ? true : `client_credentials: ${status} ${body.error ?? ''}`
	}
	const flowTask = async () => {
		const flow = await authorize({ pool: flowPool, host, origin, clientId: web.clientId, sessionCookie: accountCookie })
		if (!flow.code) return flow.reason
		const { status, body } = await foyerWebToken({ grant_type: 'authorization_code', code: flow.code, redirect_uri: CALLBACK, code_verifier: flow.verifier })
		return status === 200 && body.id_token ? true : `token: ${status} ${body.error ?? ''}`
	}

	const seconds = settings.tokenSeconds
	const warmup = settings.warmupSeconds
	return {
		bareRefresh: await phase('bare oidc-provider refresh_token grant', { concurrency, seconds, warmup, task: refreshTask(bareWebToken, bareChains) }),
		refresh: await phase('Foyer refresh_token grant', { concurrency, seconds, warmup, task: refreshTask(foyerWebToken, foyerChains) }),
		bareClientCredentials: await phase('bare oidc-provider client_credentials grant', { concurrency, seconds, warmup, task: credentialsTask(bareM2mToken) }),
		clientCredentials: await phase('Foyer client_credentials grant', { concurrency, seconds, warmup, task: credentialsTask(foyerM2mToken) }),
		codeFlow: await phase('Foyer full code + PKCE flow (signed-in user)', { concurrency, seconds, warmup, task: flowTask }),
	}
}
