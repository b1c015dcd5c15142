import { Headers, type RequestInit, type Response } from 'undici'
import { expect } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified, tokenFrom } from '../setup/accounts'
import { type Foyer } from '../setup/foyer'
import { Client } from '../setup/http'

/**
 * What the email-flows-*.test.ts files share: browsers that each speak from an IP of their own
 * (the server trusts X-Forwarded-For there), the code and link forms, and reading what the dev
 * outbox and the database hold. Helpers that need the file's server come from `emailFlowHelpers(foyer)`.
 */

export const NEW_PASSWORD = 'copper lantern harbour 77'
export const BAD_CODE = 'That code is not valid. Check the newest email, or send a new code.'

let emails = 0
export const uniqueEmail = (label: string) => `${label}-${++emails}-${Date.now()}@example.com`

/** A moment just before the next request, for "mail sent after this". */
export const justBefore = () => new Date(Date.now() - 1)

let ips = 0
/** A cookie-jar browser on an org's host, coming from an IP of its own. */
class Browser extends Client {
	readonly ip = `10.5.${Math.floor(ips / 250)}.${(ips++ % 250) + 1}`

	override request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const headers = new Headers(init.headers)
		headers.set('x-forwarded-for', this.ip)
		return super.request(path, { ...init, headers })
	}
}

export async function isSignedIn(client: Client) {
	const response = await client.request('/account')
	if (response.status === 200) return true
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toMatch(/^\/login/)
	return false
}

export function codePage(type: 'verify-email' | 'sign-in-code', target: string) {
	return `/verify?${new URLSearchParams({ type, target })}`
}

/** The code form, posted where a browser posts it: the page's own URL. */
export function submitCode(client: Client, type: 'verify-email' | 'sign-in-code', target: string, code: string) {
	return client.post(codePage(type, target), { intent: 'code', type, target, code })
}

/** The button on a link's page (plus a new password for a reset link), posted to that page. */
export function submitLink(client: Client, token: string, fields: Record<string, string> = {}) {
	return client.post(`/verify?${new URLSearchParams({ token })}`, { intent: 'link', token, ...fields })
}

/** A page's text as a reader sees it: without React's text-node separators and entities. */
export async function textOf(response: Response) {
	return (await response.text()).replaceAll('<!-- -->', '').replaceAll('&#x27;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&')
}

/** Another 6-digit code than `code`. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

/**
 * A page's HTML with what differs between any two responses taken out: the address it was asked
 * about, and the per-response CSP nonce.
 */
export function withoutAddress(html: string, email: string) {
	return html
		.replaceAll(email, 'EMAIL')
		.replaceAll(encodeURIComponent(email), 'EMAIL')
		.replace(/nonce="[^"]*"/g, 'nonce=""')
}

/** The helpers that open browsers on, sign people up on, or read the database of, one file's server. */
export function emailFlowHelpers(foyer: Foyer) {
	const browser = (slug: string) => new Browser(slug === 'operator' ? foyer.origin('localhost') : foyer.origin(`${slug}.localhost`))

	async function signIn(slug: string, email: string, password = PASSWORD) {
		const client = browser(slug)
		const response = await client.post('/login', { email, password })
		expect(response.status, await response.clone().text()).toBe(302)
		return client
	}

	/** A signed-up, verified user of the org, with a browser signed in as them. */
	async function newUser(label: string, slug = 'acme') {
		const email = uniqueEmail(label)
		const client = await signUpVerified(foyer, slug, email, PASSWORD, browser(slug))
		return { email, client }
	}

	/** An account that signed up but never used its verification email (waited for, so it is not taken for a later one). */
	async function unverifiedUser(label: string, slug = 'acme') {
		const email = uniqueEmail(label)
		expect((await browser(slug).post('/signup', { email, password: PASSWORD })).status).toBe(302)
		await latestOutboxEmail(foyer, email, { template: 'verify-email' })
		return email
	}

	async function userRow(email: string, slug = 'acme') {
		const [row] = await foyer.sql<{ id: string; email: string; emailVerified: boolean }>(
			'SELECT u.id, u.email, u."emailVerified" FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE u.email = $1 AND o.slug = $2',
			[email, slug],
		)
		return row
	}

	async function auditTypesFor(userId: string) {
		const rows = await foyer.sql<{ type: string }>('SELECT type FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq', [userId])
		return rows.map((row) => row.type)
	}

	/** Emails a sign-in code to `email` through /login/code and returns it. */
	async function requestSignInCode(client: Client, email: string) {
		const since = justBefore()
		const response = await client.post('/login/code', { email })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe(codePage('sign-in-code', email))
		return codeFrom((await latestOutboxEmail(foyer, email, { template: 'sign-in-code', after: since })).text)
	}

	/** Emails a sign-in link to `email` through /login/link and returns its token. */
	async function requestSignInLink(client: Client, email: string) {
		const since = justBefore()
		const response = await client.post('/login/link', { email })
		expect(response.status).toBe(200)
		return tokenFrom((await latestOutboxEmail(foyer, email, { template: 'magic-link', after: since })).text)
	}

	/** The newest Verification row of a type for an address. */
	async function latestVerification(target: string, type: string) {
		const [row] = await foyer.sql<{ consumedAt: Date | null; attempts: number }>(
			'SELECT "consumedAt", attempts FROM "Verification" WHERE target = $1 AND type = $2 ORDER BY "createdAt" DESC LIMIT 1',
			[target, type],
		)
		return row!
	}

	return { browser, signIn, newUser, unverifiedUser, userRow, auditTypesFor, requestSignInCode, requestSignInLink, latestVerification }
}
