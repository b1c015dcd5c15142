import { beforeAll, describe, expect, it } from 'vitest'
import { ENDPOINTS } from '../../app/modules/api/registry'
import { statementWordsFor } from '../../app/modules/apikeys/schema'
import { latestOutboxEmail, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * The Management API (/api/v1) as a server would call it: Bearer API keys, no Origin, JSON both
 * ways. Who gets in (keys of the host's org only, with the statements each endpoint needs), every
 * endpoint's happy path, paging, and bad input answered with 400 `invalid_request`, never a 500.
 */
const foyer = foyerPerFile()
const keys = {} as Record<'acme' | 'acmeReader' | 'globex' | 'operator' | 'revoked', { key: string; id: string }>

type Json = Record<string, unknown> & { data?: Record<string, unknown>[]; nextCursor?: string | null; error?: { code: string; message: string; details?: { path: string; message: string }[] } }

async function api(slug: string, path: string, key?: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
	const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers }
	const response = await foyer.client(slug).request(path, {
		method: init.method ?? 'GET',
		headers,
		origin: null,
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	})
	const text = await response.text()
	expect(response.status, `${init.method ?? 'GET'} ${path}: ${text.slice(0, 300)}`).not.toBe(500)
	if (text) expect(response.headers.get('content-type'), path).toMatch(/^application\/json/)
	return { status: response.status, headers: response.headers, json: (text ? JSON.parse(text) : null) as Json }
}

async function createKey(org: string, allow: string) {
	const result = await foyer.cli(['api-keys', 'create', '--org', org, '--name', `${org} key`, '--allow', allow, '--json'])
	expect(result.code, result.stderr).toBe(0)
	return { key: String(result.json!.key), id: String(result.json!.id) }
}

/** Every statement a customer org's key may hold. */
const ACME_ALL = statementWordsFor(false).join(',')

beforeAll(async () => {
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex'])).code).toBe(0)
	keys.acme = await createKey('acme', ACME_ALL)
	keys.acmeReader = await createKey('acme', 'user:read')
	keys.globex = await createKey('globex', 'user:read')
	keys.operator = await createKey('operator', 'org:read,org:create,user:read')
	keys.revoked = await createKey('acme', 'user:read')
	expect((await foyer.cli(['api-keys', 'revoke', '--org', 'acme', '--id', keys.revoked.id])).code).toBe(0)
})

describe('who gets in', () => {
	it('no key, a malformed header, an unknown key or a revoked key: 401 unauthorized', async () => {
		for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer foyer_nope', `Bearer foyer_${'A'.repeat(43)}`, `Bearer ${keys.revoked.key}`]) {
			const response = await api('acme', '/api/v1/users', undefined, { headers: header ? { authorization: header } : {} })
			expect(response.status, header).toBe(401)
			expect(response.json.error!.code).toBe('unauthorized')
			expect(response.headers.get('www-authenticate')).toBe('Bearer')
		}
	})

	it("a key works only on its own org's host", async () => {
		expect((await api('acme', '/api/v1/users', keys.globex.key)).status).toBe(401)
		expect((await api('globex', '/api/v1/users', keys.acme.key)).status).toBe(401)
		expect((await api('acme', '/api/v1/users', keys.operator.key)).status).toBe(401)
		expect((await api('globex', '/api/v1/users', keys.globex.key)).status).toBe(200)
	})

	it('a key without the statement: 403 forbidden, and nothing is written', async () => {
		const before = await foyer.sql('SELECT id FROM "User"')
		const response = await api('acme', '/api/v1/users', keys.acmeReader.key, { method: 'POST', body: { email: 'nope@acme.example' } })
		expect(response.status).toBe(403)
		expect(response.json.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('user:create') })
		expect(await foyer.sql('SELECT id FROM "User"')).toHaveLength(before.length)
		expect((await api('acme', '/api/v1/apps', keys.acmeReader.key)).status).toBe(403)
	})

	it("a signed-in browser's cookie is no key: the API ignores sessions", async () => {
		const browser = foyer.client('acme')
		expect((await browser.post('/login', foyer.admins.acme!)).status).toBe(302)
		const response = await browser.request('/api/v1/users')
		expect(response.status).toBe(401)
		const post = await browser.request('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'csrf@acme.example' }), origin: 'https://evil.example' })
		expect(post.status).toBe(401)
	})

	it('sets lastUsedAt on use, and writes it at most once a minute', async () => {
		const fresh = await createKey('acme', 'user:read')
		const read = async () => (await foyer.sql<{ lastUsedAt: Date | null }>('SELECT "lastUsedAt" FROM "ApiKey" WHERE id = $1', [fresh.id]))[0]!.lastUsedAt
		expect(await read()).toBeNull()
		expect((await api('acme', '/api/v1/users', fresh.key)).status).toBe(200)
		const first = await read()
		expect(first).toBeInstanceOf(Date)
		expect((await api('acme', '/api/v1/users', fresh.key)).status).toBe(200)
		expect((await read())!.getTime()).toBe(first!.getTime())
		await foyer.sql(`UPDATE "ApiKey" SET "lastUsedAt" = now() - interval '2 minutes' WHERE id = $1`, [fresh.id])
		const aged = await read()
		expect((await api('acme', '/api/v1/users', fresh.key)).status).toBe(200)
		expect((await read())!.getTime()).toBeGreaterThan(aged!.getTime())
	})

	it('answers 405 with Allow for a method a route does not have', async () => {
		const response = await api('acme', '/api/v1/users', keys.acme.key, { method: 'PUT', body: {} })
		expect(response.status).toBe(405)
		expect(response.json.error!.code).toBe('method_not_allowed')
		expect(response.headers.get('allow')).toBe('GET, POST')
	})
})

describe('users', () => {
	it('POST creates a user with a user.created event by the key; a taken email is 409', async () => {
		const response = await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', body: { email: '  New.Person@ACME.example ', name: 'New Person' } })
		expect(response.status).toBe(201)
		expect(response.json).toMatchObject({ email: 'new.person@acme.example', name: 'New Person', role: 'member', disabled: false, emailVerified: false })
		const [event] = await foyer.sql<{ actorId: string }>(`SELECT "actorId" FROM "AuditEvent" WHERE type = 'user.created' AND "targetId" = $1`, [response.json.id])
		expect(event!.actorId).toBe(keys.acme.id)
		const again = await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', body: { email: 'new.person@acme.example' } })
		expect(again.status).toBe(409)
		expect(again.json.error!.code).toBe('conflict')
	})

	it('bad bodies: 400 invalid_request with a detail per field', async () => {
		const cases: [unknown, string[]][] = [
			[{ email: 'not an email', extra: 1 }, ['body.email', 'body']],
			[{ email: 'x@acme.example', role: 42 }, ['body.role']],
			[{ email: 'x@acme.example', role: 'wizard' }, ['body.role']],
			[[1, 2], ['body']],
			['null', ['body']],
			['{"email": ', ['body']],
		]
		for (const [body, paths] of cases) {
			const response = await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', body })
			expect(response.status, JSON.stringify(body)).toBe(400)
			expect(response.json.error!.code).toBe('invalid_request')
			expect(response.json.error!.details!.map((detail) => detail.path).sort(), JSON.stringify(body)).toEqual(expect.arrayContaining(paths))
		}
		const form = await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.c' })
		expect(form.status).toBe(415)
		expect(form.json.error!.code).toBe('invalid_request')
		// Over the body limit: refused before it is read, still in the API's JSON shape.
		const huge = await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', body: JSON.stringify({ email: 'big@acme.example', name: 'x'.repeat(300 * 1024) }) })
		expect(huge.status).toBe(413)
		expect(huge.json.error).toEqual({ code: 'invalid_request', message: 'The request body is over 256 KiB.' })
		expect(await foyer.sql(`SELECT count(*)::int AS n FROM "User" WHERE email = 'big@acme.example'`)).toEqual([{ n: 0 }])
	})

	it('a key cannot hand out a role stronger than itself', async () => {
		const weak = await createKey('acme', 'user:read,user:create')
		const response = await api('acme', '/api/v1/users', weak.key, { method: 'POST', body: { email: 'sneaky@acme.example', role: 'admin' } })
		expect(response.status).toBe(403)
		expect(await foyer.sql(`SELECT id FROM "User" WHERE email = 'sneaky@acme.example'`)).toHaveLength(0)
	})

	it('GET pages through every user with cursors, and refuses bad paging', async () => {
		for (let i = 0; i < 5; i++) expect((await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', body: { email: `page${i}@acme.example` } })).status).toBe(201)
		const seen: string[] = []
		let cursor: string | null | undefined
		let pages = 0
		do {
			const response = await api('acme', `/api/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, keys.acme.key)
			expect(response.status).toBe(200)
			expect(response.json.data!.length).toBeLessThanOrEqual(2)
			seen.push(...response.json.data!.map((user) => String(user.id)))
			cursor = response.json.nextCursor
			pages++
		} while (cursor && pages < 50)
		const all = await foyer.sql<{ id: string }>(`SELECT u.id FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE o.slug = 'acme' ORDER BY u.id`)
		expect(seen).toEqual(all.map((row) => row.id))
		expect(pages).toBe(Math.ceil(all.length / 2) + (all.length % 2 === 0 ? 1 : 0) || 1)
		for (const [query, path] of [['limit=0', 'query.limit'], ['limit=101', 'query.limit'], ['limit=ten', 'query.limit'], ['cursor=%%%', 'query.cursor'], ['cursor=bm90LWpzb24', 'query.cursor']]) {
			const response = await api('acme', `/api/v1/users?${query}`, keys.acme.key)
			expect(response.status, query).toBe(400)
			expect(response.json.error!.details![0]!.path, query).toBe(path)
		}
	})

	it("GET /users/:id reads one user; another org's id or an unknown id is 404", async () => {
		const [owner] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [foyer.admins.acme!.email])
		const response = await api('acme', `/api/v1/users/${owner!.id}`, keys.acme.key)
		expect(response.status).toBe(200)
		expect(response.json).toMatchObject({ id: owner!.id, email: foyer.admins.acme!.email, role: 'owner' })
		const [globexUser] = await foyer.sql<{ id: string }>(`SELECT u.id FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE o.slug = 'globex' LIMIT 1`)
		const foreign = globexUser ? await api('acme', `/api/v1/users/${globexUser.id}`, keys.acme.key) : null
		if (foreign) expect(foreign.status).toBe(404)
		for (const id of ['nope', 'x'.repeat(300)]) expect((await api('acme', `/api/v1/users/${id}`, keys.acme.key)).json.error!.code).toBe('not_found')
	})

	it('PATCH changes the role and disables (ending sessions), with audit events; bad bodies are 400', async () => {
		const person = await signUpVerified(foyer, 'acme', 'patched@acme.example')
		expect((await person.request('/account')).status).toBe(200)
		const [user] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'patched@acme.example'`)
		const role = await api('acme', `/api/v1/users/${user!.id}`, keys.acme.key, { method: 'PATCH', body: { role: 'admin' } })
		expect(role.status).toBe(200)
		expect(role.json).toMatchObject({ role: 'admin', disabled: false })
		const disabled = await api('acme', `/api/v1/users/${user!.id}`, keys.acme.key, { method: 'PATCH', body: { disabled: true } })
		expect(disabled.json).toMatchObject({ role: 'admin', disabled: true })
		expect(await foyer.sql(`SELECT id FROM "Session" WHERE "userId" = $1 AND "revokedAt" IS NULL`, [user!.id])).toHaveLength(0)
		const types = (await foyer.sql<{ type: string }>(`SELECT type FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq`, [user!.id])).map((row) => row.type)
		expect(types).toEqual(expect.arrayContaining(['user.role_changed', 'user.disabled']))
		expect((await person.request('/account')).status).toBe(302)
		for (const body of [{}, { role: 5 }, { disabled: 'yes' }, { email: 'x@y.z' }]) {
			const response = await api('acme', `/api/v1/users/${user!.id}`, keys.acme.key, { method: 'PATCH', body })
			expect(response.status, JSON.stringify(body)).toBe(400)
			expect(response.json.error!.code).toBe('invalid_request')
		}
	})

	it('the last owner cannot be demoted, disabled or deleted (409); an owner-strength change needs an owner-strength key', async () => {
		const [owner] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [foyer.admins.acme!.email])
		const weaker = await createKey('acme', 'user:read,user:update,user:delete')
		expect((await api('acme', `/api/v1/users/${owner!.id}`, weaker.key, { method: 'PATCH', body: { role: 'member' } })).status).toBe(403)
		for (const [method, body] of [['PATCH', { role: 'member' }], ['PATCH', { disabled: true }], ['DELETE', undefined]] as const) {
			const response = await api('acme', `/api/v1/users/${owner!.id}`, keys.acme.key, { method, body })
			expect(response.status, method).toBe(409)
			expect(response.json.error!.code).toBe('conflict')
		}
		expect((await foyer.sql<{ role: string; disabledAt: Date | null }>(`SELECT role, "disabledAt" FROM "User" WHERE id = $1`, [owner!.id]))[0]).toEqual({ role: 'owner', disabledAt: null })
	})

	it('DELETE removes the user with a user.deleted event; deleting again is 404', async () => {
		const created = await api('acme', '/api/v1/users', keys.acme.key, { method: 'POST', body: { email: 'gone@acme.example' } })
		const response = await api('acme', `/api/v1/users/${created.json.id}`, keys.acme.key, { method: 'DELETE' })
		expect(response.status).toBe(204)
		expect(response.json).toBeNull()
		expect(await foyer.sql(`SELECT id FROM "User" WHERE id = $1`, [created.json.id])).toHaveLength(0)
		expect(await foyer.sql(`SELECT id FROM "AuditEvent" WHERE type = 'user.deleted' AND "targetId" = $1 AND "actorId" = $2`, [created.json.id, keys.acme.id])).toHaveLength(1)
		expect((await api('acme', `/api/v1/users/${created.json.id}`, keys.acme.key, { method: 'DELETE' })).status).toBe(404)
		expect((await foyer.cli(['audit', 'verify', '--org', 'acme'])).code).toBe(0)
	})
})

describe('apps, audit events, roles', () => {
	it('GET /apps pages through the apps and never shows a secret', async () => {
		for (const name of ['One', 'Two', 'Three']) expect((await foyer.cli(['apps', 'create', '--org', 'acme', '--name', name, '--type', 'm2m', '--json'])).code).toBe(0)
		const first = await api('acme', '/api/v1/apps?limit=2', keys.acme.key)
		expect(first.status).toBe(200)
		expect(first.json.data).toHaveLength(2)
		const second = await api('acme', `/api/v1/apps?limit=2&cursor=${first.json.nextCursor}`, keys.acme.key)
		expect(second.json.data).toHaveLength(1)
		expect(second.json.nextCursor).toBeNull()
		const names = [...first.json.data!, ...second.json.data!].map((app) => app.name)
		expect(names.sort()).toEqual(['One', 'Three', 'Two'])
		expect(JSON.stringify([first.json, second.json])).not.toMatch(/clientSecret|secretEncrypted/i)
		expect(first.json.data![0]).toMatchObject({ type: 'm2m', hasSecret: true })
	})

	it('GET /audit-events: newest first, filtered by type and actor, keyset pages without overlap', async () => {
		const byKey = await api('acme', `/api/v1/audit-events?actor=${keys.acme.id}&type=user.created&limit=3`, keys.acme.key)
		expect(byKey.status).toBe(200)
		expect(byKey.json.data).toHaveLength(3)
		expect(byKey.json.data!.every((event) => event.type === 'user.created' && event.actorId === keys.acme.id)).toBe(true)
		const seqs: number[] = []
		let cursor: string | null | undefined
		do {
			const page = await api('acme', `/api/v1/audit-events?type=user.created&limit=2${cursor ? `&cursor=${cursor}` : ''}`, keys.acme.key)
			seqs.push(...page.json.data!.map((event) => Number(event.seq)))
			cursor = page.json.nextCursor
		} while (cursor)
		expect(seqs).toEqual([...seqs].sort((a, b) => b - a))
		const [{ n }] = (await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = 'user.created'`)) as [{ n: string }]
		expect(seqs).toHaveLength(Number(n))
		expect(new Set(seqs).size).toBe(seqs.length)
		expect((await api('acme', '/api/v1/audit-events?cursor=InN0cmluZyI', keys.acme.key)).status).toBe(400)
	})

	it('GET /roles lists the built-in roles with their statements', async () => {
		const response = await api('acme', '/api/v1/roles', keys.acme.key)
		expect(response.status).toBe(200)
		expect(response.json.data!.map((role) => role.name)).toEqual(expect.arrayContaining(['owner', 'admin', 'member']))
		expect(response.json.data!.find((role) => role.name === 'member')).toMatchObject({ builtIn: true, statements: {} })
		expect(response.json.nextCursor).toBeNull()
	})
})

describe('invitations', () => {
	it('invites by email with a role, lists, refuses what the console refuses, and revokes', async () => {
		const sent = await api('acme', '/api/v1/invitations', keys.acme.key, { method: 'POST', body: { email: 'Invited@Example.com', role: 'admin' } })
		expect(sent.status).toBe(201)
		expect(sent.json).toMatchObject({ email: 'invited@example.com', role: 'admin', status: 'pending' })
		const mail = await latestOutboxEmail(foyer, 'invited@example.com', { template: 'invitation', org: 'acme' })
		expect(mail.text).toMatch(/\/invitations\/accept\?token=/)
		const [event] = await foyer.sql<{ actorId: string }>(`SELECT "actorId" FROM "AuditEvent" WHERE type = 'invitation.sent' AND "targetId" = $1`, [sent.json.id])
		expect(event?.actorId).toBe(keys.acme.id)

		const listed = await api('acme', '/api/v1/invitations', keys.acme.key)
		expect(listed.status).toBe(200)
		expect(listed.json.data!.map((row) => row.id)).toContain(sent.json.id)

		await signUpVerified(foyer, 'acme', 'already@example.com')
		expect((await api('acme', '/api/v1/invitations', keys.acme.key, { method: 'POST', body: { email: 'already@example.com' } })).json.error?.code).toBe('conflict')
		const bad = await api('acme', '/api/v1/invitations', keys.acme.key, { method: 'POST', body: { email: 'nope', role: 'emperor', extra: 1 } })
		expect(bad.status).toBe(400)
		expect(bad.json.error?.code).toBe('invalid_request')
		expect((await api('acme', '/api/v1/invitations', keys.acmeReader.key, { method: 'POST', body: { email: 'x@example.com' } })).status).toBe(403)
		const narrow = await createKey('acme', 'invitation:read,invitation:create')
		const tooStrong = await api('acme', '/api/v1/invitations', narrow.key, { method: 'POST', body: { email: 'boss@example.com', role: 'admin' } })
		expect(tooStrong.status).toBe(403)
		expect((await api('acme', '/api/v1/invitations', narrow.key, { method: 'POST', body: { email: 'plain@example.com' } })).status).toBe(201)

		expect((await api('acme', `/api/v1/invitations/${sent.json.id}`, keys.globex.key, { method: 'DELETE' })).status).toBe(401)
		expect((await api('acme', '/api/v1/invitations/no-such-id', keys.acme.key, { method: 'DELETE' })).status).toBe(404)
		const revoked = await api('acme', `/api/v1/invitations/${sent.json.id}`, keys.acme.key, { method: 'DELETE' })
		expect(revoked.status).toBe(204)
		const after = await api('acme', '/api/v1/invitations?limit=100', keys.acme.key)
		expect(after.json.data!.find((row) => row.id === sent.json.id)).toMatchObject({ status: 'revoked' })
	})
})

describe('invitation limits', () => {
	it('answers the 6th invitation to one address in an hour with 429 rate_limited and Retry-After, and sends nothing', async () => {
		const email = 'api-flooded@example.com'
		for (let i = 0; i < 5; i++) expect((await api('acme', '/api/v1/invitations', keys.acme.key, { method: 'POST', body: { email } })).status).toBe(201)
		const count = async () => (await foyer.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Invitation" WHERE email = $1`, [email]))[0]!.n
		const refused = await api('acme', '/api/v1/invitations', keys.acme.key, { method: 'POST', body: { email } })
		expect(refused.status).toBe(429)
		expect(refused.json.error?.code).toBe('rate_limited')
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000)
		expect(await count()).toBe(5)
	})
})

describe('orgs (platform keys on the operator host)', () => {
	it('GET lists every org; POST creates one like `foyer orgs create`', async () => {
		const list = await api('operator', '/api/v1/orgs', keys.operator.key)
		expect(list.status).toBe(200)
		expect(list.json.data!.map((org) => org.slug)).toEqual(expect.arrayContaining(['operator', 'acme', 'globex']))
		const created = await api('operator', '/api/v1/orgs', keys.operator.key, { method: 'POST', body: { name: 'Initech', slug: 'Initech', brandColor: '#0f766e' } })
		expect(created.status).toBe(201)
		expect(created.json).toMatchObject({ slug: 'initech', name: 'Initech', brandColor: '#0f766e', isOperator: false, suspended: false })
		expect(await foyer.sql(`SELECT id FROM "AuditEvent" WHERE type = 'org.created' AND "targetId" = $1 AND "actorId" = $2`, [created.json.id, keys.operator.id])).toHaveLength(1)
		expect(await foyer.sql(`SELECT id FROM "SigningKey" WHERE "organizationId" = $1`, [created.json.id])).toHaveLength(1)
		expect((await foyer.client('initech').request('/login')).status).toBe(200)
		const taken = await api('operator', '/api/v1/orgs', keys.operator.key, { method: 'POST', body: { name: 'Again', slug: 'initech' } })
		expect(taken.status).toBe(409)
		const bad = await api('operator', '/api/v1/orgs', keys.operator.key, { method: 'POST', body: { name: '', slug: 'admin', brandColor: 'blue' } })
		expect(bad.status).toBe(400)
		expect(bad.json.error!.details!.map((detail) => detail.path)).toEqual(expect.arrayContaining(['body.name', 'body.slug', 'body.brandColor']))
	})

	it('is not on customer hosts (404), and needs the org statements', async () => {
		for (const key of [keys.acme.key, keys.operator.key, undefined]) {
			const response = await api('acme', '/api/v1/orgs', key)
			expect(response.status).toBe(404)
			expect(response.json.error!.code).toBe('not_found')
		}
		const noOrg = await createKey('operator', 'user:read')
		expect((await api('operator', '/api/v1/orgs', noOrg.key)).status).toBe(403)
	})
})

describe('openapi.json', () => {
	it('is public, valid JSON, OpenAPI 3.1, and lists every registered endpoint', async () => {
		const response = await api('acme', '/api/v1/openapi.json')
		expect(response.status).toBe(200)
		const document = response.json as unknown as { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, unknown>> }
		expect(document.openapi).toBe('3.1.0')
		expect(document.servers[0]!.url).toBe(foyer.client('acme').origin)
		for (const endpoint of Object.values(ENDPOINTS)) expect(document.paths[endpoint.path]?.[endpoint.method.toLowerCase()], `${endpoint.method} ${endpoint.path}`).toBeDefined()
	})
})

it('a revoked key stops working at once', async () => {
	const key = await createKey('acme', 'user:read')
	expect((await api('acme', '/api/v1/users', key.key)).status).toBe(200)
	expect((await foyer.cli(['api-keys', 'revoke', '--org', 'acme', '--id', key.id])).code).toBe(0)
	expect((await api('acme', '/api/v1/users', key.key)).status).toBe(401)
})

// Last in the file: it uses up this IP's failures, after which the server answers 429 before looking at keys.
it('an IP sending requests without a valid key is held off with 429 rate_limited and Retry-After', async () => {
	let response = await api('acme', '/api/v1/users', 'foyer_junk')
	for (let i = 0; i < 150 && response.status === 401; i++) response = await api('acme', '/api/v1/users', `foyer_${String(i).padStart(43, 'x')}`)
	expect(response.status).toBe(429)
	expect(response.json.error!.code).toBe('rate_limited')
	expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
	expect((await api('acme', '/api/v1/users', keys.acme.key)).status, 'held off before any key lookup').toBe(429)
	expect((await api('acme', '/api/v1/openapi.json')).status, 'the public document is not behind the guard').toBe(200)
})
