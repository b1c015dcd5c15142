import http, { type IncomingHttpHeaders } from 'node:http'
import { Agent, fetch, Headers, type RequestInit, type Response } from 'undici'

/**
 * Every host resolves to loopback, as `*.localhost` does in browsers, so tests can speak to
 * `acme.localhost:PORT` or `login.example.test:PORT` without DNS.
 */
export const loopback = new Agent({
	connect: {
		lookup: (_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
			if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }])
			else callback(null, '127.0.0.1', 4)
		},
	} as never,
})

type Cookie = { name: string; value: string; attributes: Record<string, string | true> }

export function parseSetCookie(header: string): Cookie {
	const [pair = '', ...rest] = header.split(';')
	const eq = pair.indexOf('=')
	const attributes: Record<string, string | true> = {}
	for (const part of rest) {
		const [key = '', ...value] = part.trim().split('=')
		attributes[key.toLowerCase()] = value.length ? value.join('=') : true
	}
	return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes }
}

/**
 * A minimal browser: a cookie jar keyed by host (cookies are host-only, like Foyer's), an Origin
 * header on non-GET requests from the page's own origin, and manual redirects so tests see them.
 */
export class Client {
	readonly jar = new Map<string, Map<string, string>>()

	constructor(readonly origin: string) {}

	url(path: string) {
		return new URL(path, this.origin)
	}

	cookies(host = new URL(this.origin).hostname) {
		return this.jar.get(host) ?? new Map<string, string>()
	}

	async request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const url = this.url(path)
		const headers = new Headers(init.headers)
		const jar = this.cookies(url.hostname)
		if (jar.size && !headers.has('cookie')) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
		const method = init.method ?? (init.body ? 'POST' : 'GET')
		if (method !== 'GET' && init.origin !== null && !headers.has('origin')) headers.set('origin', init.origin ?? url.origin)
		const response = await fetch(url, { ...init, method, headers, redirect: 'manual', dispatcher: loopback })
		for (const header of response.headers.getSetCookie()) {
			const cookie = parseSetCookie(header)
			const hostJar = this.jar.get(url.hostname) ?? new Map<string, string>()
			if (cookie.attributes['max-age'] === '0' || cookie.value === '') hostJar.delete(cookie.name)
			else hostJar.set(cookie.name, cookie.value)
			this.jar.set(url.hostname, hostJar)
		}
		return response
	}

	/** Submits a form the way a browser without JavaScript does. */
	post(path: string, fields: Record<string, string> | URLSearchParams, init: RequestInit & { origin?: string | null } = {}) {
		return this.request(path, {
			...init,
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers as Record<string, string> | undefined) },
			body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields),
		})
	}
}

/**
 * A request with a Host header of our choosing, sent to 127.0.0.1:port. (fetch replaces Host with
 * the URL's, so host-spoofing tests need node:http.)
 */
export function requestWithHost(port: number, path: string, headers: Record<string, string>, init: { method?: string; body?: string } = {}) {
	return new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
		const request = http.request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, setHost: false }, (response) => {
			let text = ''
			response.setEncoding('utf8')
			response.on('data', (chunk: string) => (text += chunk))
			response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }))
		})
		request.on('error', reject)
		request.end(init.body)
	})
}
