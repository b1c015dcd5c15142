import { beforeAll, describe, expect, it } from 'vitest'
import { ENDPOINTS } from '../../app/modules/api/registry'
import { statementWordsFor } from '../../app/modules/apikeys/schema'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * Roles and teams through the Management API: the console's rules and audit events
 * (test/integration/admin-roles-teams.test.ts), plus a key's limits: built-in roles are
 * read-only, a key never makes a role stronger than itself, and another org's role, team or user
 * is 404. Bad input is 400 `invalid_request` with field paths, never a 500.
 */
const foyer = foyerPerFile()
const keys = {} as Record<'acme' | 'globex' | 'roleKeeper' | 'reader', { key: string; id: string }>

type Json = Record<string, unknown> & { data?: Record<string, unknown>[]; nextCursor?: string | null; error?: { code: string; message: string; details?: { path: string; message: string }[] } }

async function api(slug: string, path: string, key?: string, init: { method?: string; body?: unknown } = {}) {
	const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) }
	const response = await foyer.client(slug).request(path, { method: init.method ?? 'GET', headers, origin: null, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
	const text = await response.text()
	expect(response.status, `${init.method ?? 'GET'} ${path}: ${text.slice(0, 300)}`).not.toBe(500)
	if (text) expect(response.headers.get('content-type'), path).toMatch(/^application\/json/)
	return { status: response.status, json: (text ? JSON.parse(text) : null) as Json }
}

async function createKey(org: string, allow: string) {
	const result = await foyer.cli(['api-keys', 'create', '--org', org, '--name', `${org} key`, '--allow', allow, '--json'])
	expect(result.code, result.stderr).toBe(0)
	return { key: String(result.json!.key), id: String(result.json!.id) }
}

const acme = (path: string, init: { method?: string; body?: unknown } = {}, key = keys.acme.key) => api('acme', path, key, init)
const paths = (response: { json: Json }) => response.json.error!.details!.map((detail) => detail.path)
const count = async (sql: string, values: unknown[] = []) => (await foyer.sql(sql, values)).length
const events = (type: string, targetId: string) => foyer.sql<{ actorId: string; data: Record<string, unknown> }>(`SELECT "actorId", data FROM "AuditEvent" WHERE type = $1 AND "targetId" = $2 ORDER BY seq`, [type, targetId])
const roleId = async (org: string, name: string) => (await foyer.sql<{ id: string }>(`SELECT r.id FROM "Role" r JOIN "Organization" o ON o.id = r."organizationId" WHERE o.slug = $1 AND r.name = $2`, [org, name]))[0]?.id

async function createUser(slug: 'acme' | 'globex', email: string, role = 'member') {
	const response = await api(slug, '/api/v1/users', slug === 'acme' ? keys.acme.key : keys.globex.key, { method: 'POST', body: { email, role } })
	expect(response.status, JSON.stringify(response.json)).toBe(201)
	return String(response.json.id)
}

beforeAll(async () => {
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex'])).code).toBe(0)
	keys.acme = await createKey('acme', statementWordsFor(false).join(','))
	keys.globex = await createKey('globex', statementWordsFor(false).join(','))
	keys.roleKeeper = await createKey('acme', 'role:read,role:create,role:update,role:delete,user:read')
	keys.reader = await createKey('acme', 'role:read,team:read')
})

describe('roles', () => {
	it('POST creates a custom role with role.created by the key; GET reads it by name, and the list has it', async () => {
		const created = await acme('/api/v1/roles', { method: 'POST', body: { name: ' Support Agents ', description: 'Front line', statements: { user: ['update', 'read', 'read'], audit: ['read'] } } })
		expect(created.status).toBe(201)
		expect(created.json).toEqual({ name: 'Support Agents', builtIn: false, description: 'Front line', statements: { user: ['read', 'update'], audit: ['read'] } })
		const [event] = await events('role.created', (await roleId('acme', 'Support Agents'))!)
		expect(event!.actorId).toBe(keys.acme.id)
		const read = await acme('/api/v1/roles/Support%20Agents', {}, keys.reader.key)
		expect(read).toMatchObject({ status: 200, json: created.json })
		const list = await acme('/api/v1/roles')
		expect(list.json.data!.map((role) => role.name)).toEqual(expect.arrayContaining(['owner', 'Support Agents']))
		expect((await acme('/api/v1/roles/owner')).json).toMatchObject({ name: 'owner', builtIn: true, statements: { role: ['read', 'create', 'update', 'delete'] } })
		expect((await acme('/api/v1/roles/no-such-role')).json.error!.code).toBe('not_found')
		expect((await acme('/api/v1/roles', { method: 'POST', body: { name: 'Nope', statements: {} } }, keys.reader.key)).status).toBe(403)
	})

	it('refuses a duplicate name with 409 conflict on body.name', async () => {
		const again = await acme('/api/v1/roles', { method: 'POST', body: { name: 'Support Agents', statements: {} } })
		expect(again.status).toBe(409)
		expect(again.json.error).toMatchObject({ code: 'conflict', details: [{ path: 'body.name' }] })
	})

	it('built-in roles cannot be created, changed or deleted', async () => {
		const before = await count('SELECT id FROM "Role"')
		for (const name of ['owner', 'Admin', 'MEMBER']) {
			const response = await acme('/api/v1/roles', { method: 'POST', body: { name, statements: {} } })
			expect(response.status, name).toBe(400)
			expect(paths(response)).toEqual(['body.name'])
		}
		for (const name of ['owner', 'admin', 'member']) {
			const patched = await acme(`/api/v1/roles/${name}`, { method: 'PATCH', body: { description: 'mine now' } })
			expect(patched.status, name).toBe(403)
			expect(patched.json.error!.message).toMatch(/built-in/)
			expect((await acme(`/api/v1/roles/${name}`, { method: 'DELETE' })).json.error!.code, name).toBe('forbidden')
		}
		const rename = await acme('/api/v1/roles/Support%20Agents', { method: 'PATCH', body: { name: 'admin' } })
		expect(rename.status).toBe(400)
		expect(paths(rename)).toEqual(['body.name'])
		expect(await count('SELECT id FROM "Role"')).toBe(before)
	})

	it('unknown resources or actions, and malformed bodies, are 400 with the field path; nothing is written', async () => {
		const before = await count('SELECT id FROM "Role"')
		const cases: [unknown, string[]][] = [
			[{ name: 'Bad', statements: { wizard: ['read'] } }, ['body.statements.wizard']],
			[{ name: 'Bad', statements: { user: ['fly', 'read'] } }, ['body.statements.user']],
			[{ name: 'Bad', statements: { user: 'read' } }, ['body.statements.user']],
			[{ name: 'Bad', statements: ['user:read'] }, ['body.statements']],
			[{ name: 'Bad' }, ['body.statements']],
			[{ name: 'a/b', statements: {}, extra: true }, ['body', 'body.name']],
			[{ name: 'x'.repeat(51), description: 5, statements: {} }, ['body.description', 'body.name']],
		]
		for (const [body, expected] of cases) {
			const response = await acme('/api/v1/roles', { method: 'POST', body })
			expect(response.status, JSON.stringify(body)).toBe(400)
			expect(response.json.error!.code).toBe('invalid_request')
			expect(paths(response).sort(), JSON.stringify(body)).toEqual(expected)
		}
		for (const body of [{}, { statements: { team: ['fly'] } }, { name: '' }, { holders: 3 }]) {
			const response = await acme('/api/v1/roles/Support%20Agents', { method: 'PATCH', body })
			expect(response.status, JSON.stringify(body)).toBe(400)
		}
		expect(await count('SELECT id FROM "Role"')).toBe(before)
		expect((await acme('/api/v1/roles/Support%20Agents')).json.statements).toEqual({ user: ['read', 'update'], audit: ['read'] })
	})

	it('a key never creates, widens, edits or deletes a role stronger than itself', async () => {
		const own = await acme('/api/v1/roles', { method: 'POST', body: { name: 'Readers', statements: { user: ['read'], role: ['read'] } } }, keys.roleKeeper.key)
		expect(own.status).toBe(201)
		const tooStrong = await acme('/api/v1/roles', { method: 'POST', body: { name: 'Deleters', statements: { user: ['read', 'delete'] } } }, keys.roleKeeper.key)
		expect(tooStrong.status).toBe(403)
		expect(tooStrong.json.error!.message).toContain('user:delete')
		expect(await roleId('acme', 'Deleters')).toBeUndefined()
		const widen = await acme('/api/v1/roles/Readers', { method: 'PATCH', body: { statements: { user: ['read', 'update'] } } }, keys.roleKeeper.key)
		expect(widen.status).toBe(403)
		for (const [method, body] of [['PATCH', { description: 'weaker now' }], ['PATCH', { statements: {} }], ['DELETE', undefined]] as const) {
			expect((await acme('/api/v1/roles/Support%20Agents', { method, body }, keys.roleKeeper.key)).status, method).toBe(403)
		}
		expect((await acme('/api/v1/roles/Support%20Agents')).json).toMatchObject({ description: 'Front line', statements: { user: ['read', 'update'], audit: ['read'] } })
		expect((await acme('/api/v1/roles/Readers')).json.statements).toEqual({ user: ['read'], role: ['read'] })
		expect((await acme('/api/v1/roles/Readers', { method: 'PATCH', body: { statements: { role: ['read', 'create'] } } }, keys.roleKeeper.key)).status).toBe(200)
	})

	it('PATCH changes the description and statements, and a rename carries holders and invitations along, with role.updated', async () => {
		const holder = await createUser('acme', 'agent@acme.example', 'Support Agents')
		const invitation = await acme('/api/v1/invitations', { method: 'POST', body: { email: 'future-agent@acme.example', role: 'Support Agents' } })
		expect(invitation.status).toBe(201)
		const id = (await roleId('acme', 'Support Agents'))!
		const patched = await acme('/api/v1/roles/Support%20Agents', { method: 'PATCH', body: { description: 'Tier 1', statements: { user: ['read'] } } })
		expect(patched).toMatchObject({ status: 200, json: { name: 'Support Agents', description: 'Tier 1', statements: { user: ['read'] } } })
		const renamed = await acme('/api/v1/roles/Support%20Agents', { method: 'PATCH', body: { name: 'Agents' } })
		expect(renamed).toMatchObject({ status: 200, json: { name: 'Agents', description: 'Tier 1', statements: { user: ['read'] } } })
		expect((await foyer.sql<{ role: string }>('SELECT role FROM "User" WHERE id = $1', [holder]))[0]!.role).toBe('Agents')
		expect((await foyer.sql<{ role: string }>('SELECT role FROM "Invitation" WHERE id = $1', [invitation.json.id]))[0]!.role).toBe('Agents')
		expect((await acme('/api/v1/roles/Support%20Agents')).status).toBe(404)
		const updates = await events('role.updated', id)
		expect(updates).toHaveLength(2)
		expect(updates.every((event) => event.actorId === keys.acme.id)).toBe(true)
		expect(updates[1]!.data).toMatchObject({ name: 'Agents', from: { name: 'Support Agents' }, to: { name: 'Agents' } })
		const clash = await acme('/api/v1/roles/Agents', { method: 'PATCH', body: { name: 'Readers' } })
		expect(clash.status).toBe(409)
		expect(clash.json.error!.code).toBe('conflict')
	})

	it('DELETE refuses a role users hold or invitations offer (409), then deletes it with role.deleted', async () => {
		const id = (await roleId('acme', 'Agents'))!
		const held = await acme('/api/v1/roles/Agents', { method: 'DELETE' })
		expect(held.status).toBe(409)
		expect(held.json.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('holds this role') })
		const [holder] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'agent@acme.example'`)
		expect((await acme(`/api/v1/users/${holder!.id}`, { method: 'PATCH', body: { role: 'member' } })).status).toBe(200)
		const offered = await acme('/api/v1/roles/Agents', { method: 'DELETE' })
		expect(offered.status).toBe(409)
		expect(offered.json.error!.message).toContain('invitation')
		const [invitation] = await foyer.sql<{ id: string }>(`SELECT id FROM "Invitation" WHERE email = 'future-agent@acme.example'`)
		expect((await acme(`/api/v1/invitations/${invitation!.id}`, { method: 'DELETE' })).status).toBe(204)
		const deleted = await acme('/api/v1/roles/Agents', { method: 'DELETE' })
		expect(deleted).toMatchObject({ status: 204, json: null })
		expect(await events('role.deleted', id)).toEqual([expect.objectContaining({ actorId: keys.acme.id })])
		expect((await acme('/api/v1/roles/Agents', { method: 'DELETE' })).status).toBe(404)
	})

	it("another org's role is 404 for every method, and changes nothing", async () => {
		expect((await api('globex', '/api/v1/roles', keys.globex.key, { method: 'POST', body: { name: 'Globex Ops', statements: { app: ['read'] } } })).status).toBe(201)
		for (const [method, body] of [['GET', undefined], ['PATCH', { description: 'taken over' }], ['DELETE', undefined]] as const) {
			const response = await acme('/api/v1/roles/Globex%20Ops', { method, body })
			expect(response.status, method).toBe(404)
			expect(response.json.error!.code).toBe('not_found')
		}
		expect((await api('globex', '/api/v1/roles/Globex%20Ops', keys.globex.key)).json).toMatchObject({ description: '', statements: { app: ['read'] } })
		// Names are per org: acme may have its own role of that name.
		expect((await acme('/api/v1/roles', { method: 'POST', body: { name: 'Globex Ops', statements: {} } })).status).toBe(201)
	})
})

describe('teams', () => {
	const teamIds: Record<string, string> = {}

	it('POST creates a team with team.created; a taken name is 409; bad bodies are 400 with field paths', async () => {
		const created = await acme('/api/v1/teams', { method: 'POST', body: { name: ' Platform ', description: 'Infra' } })
		expect(created).toMatchObject({ status: 201, json: { name: 'Platform', description: 'Infra', memberCount: 0, members: [] } })
		teamIds.platform = String(created.json.id)
		expect(await events('team.created', teamIds.platform)).toEqual([expect.objectContaining({ actorId: keys.acme.id })])
		const taken = await acme('/api/v1/teams', { method: 'POST', body: { name: 'Platform' } })
		expect(taken.status).toBe(409)
		expect(taken.json.error).toMatchObject({ code: 'conflict', details: [{ path: 'body.name' }] })
		const before = await count('SELECT id FROM "Team"')
		for (const [body, expected] of [[{ name: '' }, ['body.name']], [{ name: 5, description: 'x'.repeat(501) }, ['body.description', 'body.name']], [{ name: 'Ok', members: [] }, ['body']], [[], ['body']]] as const) {
			const response = await acme('/api/v1/teams', { method: 'POST', body })
			expect(response.status, JSON.stringify(body)).toBe(400)
			expect(paths(response).sort(), JSON.stringify(body)).toEqual(expected)
		}
		expect(await count('SELECT id FROM "Team"')).toBe(before)
		expect((await acme('/api/v1/teams', { method: 'POST', body: { name: 'Nope' } }, keys.reader.key)).status).toBe(403)
	})

	it('GET pages through the teams with cursors and refuses a bad cursor', async () => {
		for (const name of ['Design', 'Sales', 'Support']) expect((await acme('/api/v1/teams', { method: 'POST', body: { name } })).status).toBe(201)
		const seen: string[] = []
		let cursor: string | null | undefined
		do {
			const page = await acme(`/api/v1/teams?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {}, keys.reader.key)
			expect(page.status).toBe(200)
			seen.push(...page.json.data!.map((team) => String(team.id)))
			cursor = page.json.nextCursor
		} while (cursor)
		const all = await foyer.sql<{ id: string }>(`SELECT t.id FROM "Team" t JOIN "Organization" o ON o.id = t."organizationId" WHERE o.slug = 'acme' ORDER BY t.id`)
		expect(seen).toEqual(all.map((row) => row.id))
		expect(seen).toHaveLength(4)
		const bad = await acme('/api/v1/teams?cursor=%%%&limit=500')
		expect(bad.status).toBe(400)
		expect(paths(bad).sort()).toEqual(['query.limit'])
		expect(paths(await acme('/api/v1/teams?cursor=bm90LWpzb24'))).toEqual(['query.cursor'])
	})

	it('PUT adds a user of the org (idempotent, one team.member_added), GET shows members, DELETE removes them', async () => {
		const userId = await createUser('acme', 'teammate@acme.example')
		const member = `/api/v1/teams/${teamIds.platform}/members/${userId}`
		expect((await acme(member, { method: 'PUT' }, keys.reader.key)).status).toBe(403)
		expect(await acme(member, { method: 'PUT' })).toMatchObject({ status: 204, json: null })
		expect((await acme(member, { method: 'PUT' })).status).toBe(204)
		const added = await events('team.member_added', teamIds.platform!)
		expect(added).toEqual([expect.objectContaining({ actorId: keys.acme.id, data: expect.objectContaining({ userId, email: 'teammate@acme.example' }) })])
		const team = await acme(`/api/v1/teams/${teamIds.platform}`, {}, keys.reader.key)
		expect(team).toMatchObject({ status: 200, json: { name: 'Platform', memberCount: 1, members: [{ userId, email: 'teammate@acme.example', name: null }] } })
		const listed = await acme('/api/v1/teams?limit=100')
		expect(listed.json.data!.find((row) => row.id === teamIds.platform)).toMatchObject({ memberCount: 1 })
		expect(await acme(member, { method: 'DELETE' })).toMatchObject({ status: 204, json: null })
		expect(await events('team.member_removed', teamIds.platform!)).toHaveLength(1)
		const again = await acme(member, { method: 'DELETE' })
		expect(again.status).toBe(404)
		expect(again.json.error!.code).toBe('not_found')
		const get = await acme(member)
		expect(get.status).toBe(405)
		expect(get.json.error!.code).toBe('method_not_allowed')
	})

	it('PATCH renames or describes the team with team.updated; empty, unknown or clashing changes are refused', async () => {
		const renamed = await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'PATCH', body: { name: 'Platform Eng' } })
		expect(renamed).toMatchObject({ status: 200, json: { name: 'Platform Eng', description: 'Infra' } })
		const described = await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'PATCH', body: { description: '' } })
		expect(described.json).toMatchObject({ name: 'Platform Eng', description: '' })
		const updates = await events('team.updated', teamIds.platform!)
		expect(updates).toHaveLength(2)
		expect(updates[0]!.data).toMatchObject({ from: { name: 'Platform', description: 'Infra' }, to: { name: 'Platform Eng', description: 'Infra' } })
		for (const body of [{}, { name: '' }, { memberCount: 2 }]) expect((await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'PATCH', body })).status, JSON.stringify(body)).toBe(400)
		expect((await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'PATCH', body: { name: 'Sales' } })).status).toBe(409)
		expect((await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'PATCH', body: { name: 'Nope' } }, keys.reader.key)).status).toBe(403)
	})

	it("another org's team, and another org's user, are 404 for every method, and nothing changes", async () => {
		const globexTeam = await api('globex', '/api/v1/teams', keys.globex.key, { method: 'POST', body: { name: 'Globex Team' } })
		expect(globexTeam.status).toBe(201)
		const globexUser = await createUser('globex', 'worker@globex.example')
		const acmeUser = await createUser('acme', 'loyal@acme.example')
		const foreignTeam = `/api/v1/teams/${globexTeam.json.id}`
		const cases: [string, string, unknown?][] = [
			['GET', foreignTeam],
			['PATCH', foreignTeam, { name: 'Taken over' }],
			['DELETE', foreignTeam],
			['PUT', `${foreignTeam}/members/${acmeUser}`],
			['DELETE', `${foreignTeam}/members/${acmeUser}`],
			['PUT', `/api/v1/teams/${teamIds.platform}/members/${globexUser}`],
			['DELETE', `/api/v1/teams/${teamIds.platform}/members/${globexUser}`],
			['PUT', `/api/v1/teams/${teamIds.platform}/members/no-such-user`],
			['GET', '/api/v1/teams/no-such-team'],
			['GET', `/api/v1/teams/${'x'.repeat(300)}`],
		]
		for (const [method, path, body] of cases) {
			const response = await acme(path, { method, body })
			expect(response.status, `${method} ${path}`).toBe(404)
			expect(response.json.error!.code).toBe('not_found')
		}
		expect((await api('globex', foreignTeam, keys.globex.key)).json).toMatchObject({ name: 'Globex Team', memberCount: 0 })
		expect(await count('SELECT "teamId" FROM "TeamMember" WHERE "userId" IN ($1, $2)', [globexUser, acmeUser])).toBe(0)
		expect((await acme('/api/v1/teams?limit=100')).json.data!.map((team) => team.name)).not.toContain('Globex Team')
	})

	it('DELETE removes the team and its memberships (the users stay) with team.deleted; again is 404', async () => {
		const userId = await createUser('acme', 'leaver@acme.example')
		expect((await acme(`/api/v1/teams/${teamIds.platform}/members/${userId}`, { method: 'PUT' })).status).toBe(204)
		expect((await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'DELETE' }, keys.reader.key)).status).toBe(403)
		expect(await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'DELETE' })).toMatchObject({ status: 204, json: null })
		expect(await events('team.deleted', teamIds.platform!)).toEqual([expect.objectContaining({ actorId: keys.acme.id, data: expect.objectContaining({ members: 1 }) })])
		expect(await count('SELECT id FROM "User" WHERE id = $1', [userId])).toBe(1)
		expect((await acme(`/api/v1/teams/${teamIds.platform}`, { method: 'DELETE' })).status).toBe(404)
		expect((await foyer.cli(['audit', 'verify', '--org', 'acme'])).code).toBe(0)
	})
})

it('the OpenAPI document lists every role and team endpoint', async () => {
	const document = (await api('acme', '/api/v1/openapi.json')).json as unknown as { paths: Record<string, Record<string, unknown>> }
	const ids = ['createRole', 'getRole', 'updateRole', 'deleteRole', 'listTeams', 'createTeam', 'getTeam', 'updateTeam', 'deleteTeam', 'addTeamMember', 'removeTeamMember'] as const
	for (const id of ids) {
		const endpoint = ENDPOINTS[id]
		expect(document.paths[endpoint.path]?.[endpoint.method.toLowerCase()], `${endpoint.method} ${endpoint.path}`).toMatchObject({ operationId: id, 'x-foyer-statements': endpoint.statements })
	}
	expect(Object.keys(document.paths['/api/v1/teams/{id}/members/{userId}']!).sort()).toEqual(['delete', 'put'])
})
