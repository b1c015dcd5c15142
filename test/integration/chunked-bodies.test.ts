import http, { type IncomingHttpHeaders } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { statementWordsFor } from '../../app/modules/apikeys/schema'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * Request bodies sent with `Transfer-Encoding: chunked` (no Content-Length), as Go's net/http
 * sends a streamed body and Java's HttpURLConnection in streaming mode: accepted on pages, on the
 * OIDC endpoints and on the Management API, with the same 256 KiB limit counted as the bytes arrive.
 */
const foyer = foyerPerFile()
const LIMIT = 256 * 1024
// One connection reused for every request, as HTTP/1.1 clients do: a body must be read whole.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
afterAll(() => agent.destroy())

type Answer = { status: number; headers: IncomingHttpHeaders; text: string }

/** A POST whose body goes out in several chunks, a moment apart, with no Content-Length. */
function chunkedPost(host: string, path: string, body: string, headers: Record<string, string> = {}, pieces = 4): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = http.request({ host: '127.0.0.1', port: foyer.port, path, method: 'POST', agent, headers: { host: `${host}:${foyer.port}`, 'transfer-encoding': 'chunked', ...headers } }, (response) => {
			let text = ''
			response.setEncoding('utf8')
			response.on('data', (chunk: string) => (text += chunk))
			response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }))
		})
		request.on('error', reject)
		const size = Math.ceil(body.length / pieces)
		const send = (at: number) => {
			if (at >= body.length) return request.end()
			request.write(body.slice(at, at + size))
			setTimeout(() => send(at + size), 5)
		}
		send(0)
	})
}

const form = { 'content-type': 'application/x-www-form-urlencoded' }
const acmeOrigin = () => ({ origin: `http://acme.localhost:${foyer.port}` })
let email: string
let m2m: { clientId: string; clientSecret: string }
let apiKey: string

beforeAll(async () => {
	email = `chunked-${Date.now()}@example.com`
	await signUpVerified(foyer, 'acme', email)
	const app = await foyer.cli(['apps', 'create', '--org', 'acme', '--name', 'Chunked sync', '--type', 'm2m', '--json'])
	expect(app.code, app.stderr).toBe(0)
	m2m = app.json as unknown as typeof m2m
	const key = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'chunked', '--allow', statementWordsFor(false).join(','), '--json'])
	expect(key.code, key.stderr).toBe(0)
	apiKey = String(key.json!.key)
})

const basic = () => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(m2m.clientId)}:${encodeURIComponent(m2m.clientSecret)}`).toString('base64')}` })

describe('chunked bodies within the limit', () => {
	it('a password sign-in form post signs in', async () => {
		const response = await chunkedPost('acme.localhost', '/login', new URLSearchParams({ email, password: PASSWORD }).toString(), { ...form, ...acmeOrigin() })
		expect(response.status, response.text.slice(0, 300)).toBe(302)
		expect(response.headers.location).toBe('/account')
		expect(String(response.headers['set-cookie'])).toMatch(/^sid=/)
	})

	it('a client_credentials request to /oidc/token gets a token', async () => {
		const response = await chunkedPost('acme.localhost', '/oidc/token', 'grant_type=client_credentials', { ...form, ...basic() })
		expect(response.status, response.text).toBe(200)
		expect(JSON.parse(response.text)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) })
	})

	it('a Management API POST creates the user', async () => {
		const created = `api-chunked-${Date.now()}@example.com`
		const response = await chunkedPost('acme.localhost', '/api/v1/users', JSON.stringify({ email: created, name: 'Chunked' }), { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` })
		expect(response.status, response.text).toBe(201)
		expect(JSON.parse(response.text)).toMatchObject({ email: created })
	})

	it('an empty chunked body is read as empty, not waited for', async () => {
		const token = await chunkedPost('acme.localhost', '/oidc/token', '', { ...form, ...basic() })
		expect(token.status).toBe(400)
		expect(JSON.parse(token.text)).toMatchObject({ error: 'invalid_request' })
		const login = await chunkedPost('acme.localhost', '/login', '', { ...form, ...acmeOrigin() })
		expect(login.status).toBe(400)
	})

	it('a body of exactly the limit is accepted, one byte more is not', async () => {
		const filler = (size: number) => `grant_type=client_credentials&pad=${'a'.repeat(size - 'grant_type=client_credentials&pad='.length)}`
		// oidc-provider bounds its own bodies lower (56 KiB), so use a page for the exact edge.
		const exact = await chunkedPost('acme.localhost', '/login', filler(LIMIT), { ...form, ...acmeOrigin() }, 16)
		expect(exact.status).not.toBe(413)
		const over = await chunkedPost('acme.localhost', '/login', filler(LIMIT + 1), { ...form, ...acmeOrigin() }, 16)
		expect(over.status).toBe(413)
	})
})

describe('chunked bodies over the limit: 413', () => {
	const big = `email=${'a'.repeat(300 * 1024)}`

	it('on a page, with the HTML page', async () => {
		const response = await chunkedPost('acme.localhost', '/login', big, { ...form, ...acmeOrigin() }, 30)
		expect(response.status).toBe(413)
		expect(response.headers['content-type']).toMatch(/^text\/html/)
		expect(response.text).toContain('Request too large')
	})

	it('on /oidc/token', async () => {
		const response = await chunkedPost('acme.localhost', '/oidc/token', `grant_type=client_credentials&${big}`, { ...form, ...basic() }, 30)
		expect(response.status).toBe(413)
	})

	it('on /api/v1, in the API error shape', async () => {
		const response = await chunkedPost('acme.localhost', '/api/v1/users', JSON.stringify({ email: 'x@example.com', name: 'a'.repeat(300 * 1024) }), { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, 30)
		expect(response.status).toBe(413)
		expect(JSON.parse(response.text)).toEqual({ error: { code: 'invalid_request', message: 'The request body is over 256 KiB.' } })
	})

	it('a body that goes on far past the limit gets its 413 without waiting for the end, and the connection closed', async () => {
		const answer = await new Promise<Answer>((resolve, reject) => {
			// No agent: this connection is not for reuse.
			const request = http.request({ host: '127.0.0.1', port: foyer.port, path: '/login', method: 'POST', headers: { host: `acme.localhost:${foyer.port}`, 'transfer-encoding': 'chunked', ...form, ...acmeOrigin() } }, (response) => {
				let text = ''
				response.setEncoding('utf8')
				response.on('data', (chunk: string) => (text += chunk))
				response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }))
			})
			request.on('error', reject)
			// 1.25 MiB and then silence, never the final chunk: only the bound ends this request.
			const piece = 'a'.repeat(64 * 1024)
			for (let i = 0; i < 20; i++) request.write(piece)
		})
		expect(answer.status).toBe(413)
		expect(answer.headers.connection).toBe('close')
	})

	it('a Content-Length over the limit is still refused up front, and the server stays healthy', async () => {
		const response = await foyer.client('acme').request('/login', { method: 'POST', headers: form, body: big })
		expect(response.status).toBe(413)
		const again = await chunkedPost('acme.localhost', '/oidc/token', 'grant_type=client_credentials', { ...form, ...basic() })
		expect(again.status).toBe(200)
		const health = await fetch(`http://127.0.0.1:${foyer.port}/healthz`)
		expect(health.status).toBe(200)
	})
})
