import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { signUpVerified } from '../setup/accounts'
import { type Foyer } from '../setup/foyer'
import { type Client } from '../setup/http'
import { SoftAuthenticator } from '../setup/soft-authenticator'

/**
 * What the passkeys-*.test.ts files share: a person with a browser and a software authenticator
 * (test/setup/soft-authenticator.ts), registering and signing with it over the JSON routes, and
 * reading back the Passkey, AuditEvent and Session rows. Helpers that need the file's server come
 * from `passkeyHelpers(foyer)`.
 */

let counter = 0
export const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`
/** An address of each test's own, so per-IP and `passkey:<ip>` throttle counts never mix between tests. */
export const newIp = () => `10.${counter++ % 250}.${randomBytes(1)[0]}.${(randomBytes(1)[0]! % 250) + 1}`

type Json = Record<string, unknown> & { error?: string; redirectTo?: string }

export async function postJson(client: Client, path: string, body: unknown, ip: string, init: { cookie?: string; raw?: string; contentType?: string } = {}) {
	const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json', 'x-forwarded-for': ip }
	if (init.cookie !== undefined) headers.cookie = init.cookie
	const response = await client.request(path, { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) })
	const text = await response.text()
	let json: Json = {}
	try {
		json = JSON.parse(text) as Json
	} catch {
		json = { text }
	}
	return { status: response.status, json, headers: response.headers }
}

/** A test's person: their browser (cookie jar), their authenticator and their address. */
export type Person = { email: string; client: Client; authenticator: SoftAuthenticator; ip: string }

type Bend = Parameters<SoftAuthenticator['assert']>[2]

/** Options, the authenticator's assertion, and the answer: one passkey sign-in or second factor. */
export async function signWithPasskey(
	client: Client,
	authenticator: SoftAuthenticator,
	ip: string,
	options: { mode?: 'sign-in' | 'second-factor'; redirectTo?: string; bend?: Bend } = {},
) {
	const mode = options.mode ?? 'sign-in'
	const start = await postJson(client, '/passkeys/authentication-options', { mode, redirectTo: options.redirectTo }, ip)
	expect(start.status, JSON.stringify(start.json)).toBe(200)
	const request = start.json.options as Parameters<SoftAuthenticator['assert']>[0]
	const response = authenticator.assert(request, client.origin, options.bend)
	const result = await postJson(client, '/passkeys/authentication', { mode, response, redirectTo: options.redirectTo }, ip)
	return { request, response, result }
}

export const signedIn = async (client: Client) => (await client.request('/account')).status === 200

/** Every cookie the client holds now, with its challenge cookie, as a Cookie header (to replay it later). */
export function cookieHeaderNow(client: Client) {
	const jar = client.cookies()
	if (!jar.has('passkey')) throw new Error('no passkey challenge cookie')
	return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/** The helpers that sign people up on, or read the database of, one file's server. */
export function passkeyHelpers(foyer: Foyer) {
	async function person(slug: string, label: string): Promise<Person> {
		const email = uniqueEmail(label)
		return { email, client: await signUpVerified(foyer, slug, email), authenticator: new SoftAuthenticator(), ip: newIp() }
	}

	async function register(who: Person, options: { name?: string; redirectTo?: string; client?: Client } = {}) {
		const client = options.client ?? who.client
		const start = await postJson(client, '/passkeys/registration-options', {}, who.ip)
		expect(start.status, JSON.stringify(start.json)).toBe(200)
		const creation = start.json.options as Parameters<SoftAuthenticator['register']>[0]
		const response = who.authenticator.register(creation, client.origin)
		return { creation, result: await postJson(client, '/passkeys/registration', { response, name: options.name, redirectTo: options.redirectTo }, who.ip) }
	}

	async function withPasskey(slug: string, label: string) {
		const who = await person(slug, label)
		const { result } = await register(who)
		expect(result.status, JSON.stringify(result.json)).toBe(200)
		return { ...who, credential: who.authenticator.credentials[0]! }
	}

	async function passkeyRow(credentialId: string) {
		const [row] = await foyer.sql<{ id: string; organizationId: string; rpId: string; counter: string; name: string; transports: string[]; deviceType: string; lastUsedAt: Date | null }>(
			'SELECT id, "organizationId", "rpId", counter::text, name, transports, "deviceType", "lastUsedAt" FROM "Passkey" WHERE "credentialId" = $1',
			[credentialId],
		)
		return row
	}

	async function events(type: string, where: { actorEmail?: string; slug?: string } = {}) {
		return foyer.sql<{ data: Record<string, unknown>; targetId: string | null; org: string }>(
			`SELECT e.data, e."targetId", o.slug AS org FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId"
			LEFT JOIN "User" u ON u.id = e."actorId"
			WHERE e.type = $1 AND ($2::text IS NULL OR u.email = $2) AND ($3::text IS NULL OR o.slug = $3) ORDER BY e.seq`,
			[type, where.actorEmail ?? null, where.slug ?? null],
		)
	}

	async function latestSession(email: string) {
		const [row] = await foyer.sql<{ aal: string; amr: string[] }>(
			`SELECT s.aal, s.amr FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC LIMIT 1`,
			[email],
		)
		return row
	}

	return { person, register, withPasskey, passkeyRow, events, latestSession }
}
