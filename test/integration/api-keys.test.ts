import crypto from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * API keys through the consoles (/admin/api-keys, /operator/api-keys) as a browser without
 * JavaScript, and through `foyer api-keys`: shown once, stored as sha256, never more than the
 * creator holds, revocable, audited, and no reach into another org's keys.
 */
const foyer = foyerPerFile()
let owner: Client
let admin: Client
let operator: Client

type KeyRow = { id: string; name: string; prefix: string; keyHash: string; statements: Record<string, string[]>; createdById: string | null; revokedAt: Date | null }
const keysOf = (slug: string) =>
	foyer.sql<KeyRow>(`SELECT k.id, k.name, k.prefix, k."keyHash", k.statements, k."createdById", k."revokedAt" FROM "ApiKey" k JOIN "Organization" o ON o.id = k."organizationId" WHERE o.slug = $1 ORDER BY k."createdAt"`, [slug])
const userId = async (email: string) => (await foyer.sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [email]))[0]!.id

async function signIn(slug: string, credentials: { email: string; password: string }) {
	const client = foyer.client(slug)
	expect((await client.post('/login', credentials)).status).toBe(302)
	return client
}

function form(name: string, statements: string[], expiresIn?: string) {
	const body = new URLSearchParams({ intent: 'create', name, ...(expiresIn === undefined ? {} : { expiresIn }) })
	for (const statement of statements) body.append('statements', statement)
	return body
}

const shownKey = (html: string) => /data-testid="created-key-value"[^>]*>([^<]+)</.exec(html)?.[1]

const usersApi = (slug: string, key: string) => foyer.client(slug).request('/api/v1/users', { headers: { authorization: `Bearer ${key}` } })

beforeAll(async () => {
	owner = await signIn('acme', foyer.admins.acme!)
	const second = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'second@acme.example', '--admin', '--json'])
	admin = await signIn('acme', { email: 'second@acme.example', password: String(second.json!.password) })
	operator = await signIn('operator', foyer.admins.operator!)
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex'])).code).toBe(0)
})

describe('/admin/api-keys', () => {
	it('creates a key shown once, stored as sha256 with a prefix, audited, and usable at once', async () => {
		const page = await owner.request('/admin/api-keys')
		expect(page.status).toBe(200)
		const html = await page.text()
		expect(html).toContain('Create an API key')
		expect(html).toMatch(/<label[^>]*for="statement-user-read"/)
		expect(html, 'customer orgs are not offered org statements').not.toContain('statement-org-read')

		const response = await owner.post('/admin/api-keys', form('Deploy bot', ['user:read', 'user:create']))
		const body = await response.text()
		expect(response.status, body.slice(0, 300)).toBe(201)
		const key = shownKey(body)!
		expect(key).toMatch(/^foyer_[A-Za-z0-9_-]{43}$/)

		const [row] = (await keysOf('acme')).filter((k) => k.name === 'Deploy bot')
		expect(row).toMatchObject({ prefix: key.slice(0, 12), keyHash: crypto.createHash('sha256').update(key).digest('hex'), statements: { user: ['read', 'create'] }, createdById: await userId(foyer.admins.acme!.email), revokedAt: null })
		expect(JSON.stringify(await foyer.sql('SELECT * FROM "ApiKey"'))).not.toContain(key)
		const events = await foyer.sql<{ actorId: string; data: Record<string, unknown> }>(`SELECT "actorId", data FROM "AuditEvent" WHERE type = 'api_key.created' AND "targetId" = $1`, [row!.id])
		expect(events).toHaveLength(1)
		expect(JSON.stringify(events[0]!.data)).not.toContain(key)

		const list = await (await owner.request('/admin/api-keys')).text()
		expect(list).toContain(key.slice(0, 12))
		expect(list, 'the key is never shown again').not.toContain(key)
		expect((await usersApi('acme', key)).status).toBe(200)
	})

	it('refuses bad forms with 400 and field messages, writing nothing', async () => {
		const before = (await keysOf('acme')).length
		const cases: [URLSearchParams, string][] = [
			[form('', ['user:read']), 'Name is required'],
			[form('No statements', []), 'Pick at least one statement'],
			[form('Unknown', ['user:fly']), 'Unknown statement'],
			[form('x'.repeat(101), ['user:read']), 'at most 100'],
			[form('Platform', ['org:read']), 'Only platform keys'],
		]
		for (const [body, message] of cases) {
			const response = await owner.post('/admin/api-keys', body)
			expect(response.status, message).toBe(400)
			expect(await response.text(), message).toContain(message)
		}
		const refused = await (await owner.post('/admin/api-keys', form('', ['user:read']))).text()
		const tag = (id: string) => new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(refused)?.[0] ?? ''
		expect(tag('statement-user-read'), 'ticks survive a refused submission').toMatch(/checked=""/)
		expect(tag('statement-user-create')).not.toMatch(/checked=""/)
		expect((await owner.post('/admin/api-keys', { intent: 'fly' })).status).toBe(400)
		expect((await keysOf('acme')).length).toBe(before)
	})

	it("never gives a key more than its creator's role holds", async () => {
		const page = await (await admin.request('/admin/api-keys')).text()
		expect(page, 'admins are not offered statements they lack').not.toContain('statement-role-create')
		const response = await admin.post('/admin/api-keys', form('Escalate', ['user:read', 'role:create']))
		expect(response.status).toBe(400)
		expect(await response.text()).toContain('role:create')
		expect((await keysOf('acme')).some((k) => k.name === 'Escalate')).toBe(false)
		expect((await admin.post('/admin/api-keys', form('Within', ['role:read']))).status).toBe(201)
	})

	it('revokes a key: 401 from then on, api_key.revoked written; another org’s key id is 404', async () => {
		const key = shownKey(await (await owner.post('/admin/api-keys', form('Short-lived', ['user:read']))).text())!
		const [row] = (await keysOf('acme')).filter((k) => k.name === 'Short-lived')
		const response = await owner.post('/admin/api-keys', { intent: 'revoke', id: row!.id })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/admin/api-keys?revoked=1')
		expect((await keysOf('acme')).find((k) => k.id === row!.id)!.revokedAt).toBeInstanceOf(Date)
		expect(await foyer.sql(`SELECT id FROM "AuditEvent" WHERE type = 'api_key.revoked' AND "targetId" = $1`, [row!.id])).toHaveLength(1)
		expect((await usersApi('acme', key)).status).toBe(401)
		expect(await (await owner.request('/admin/api-keys?revoked=1')).text()).toContain('was revoked')

		const globex = await foyer.cli(['api-keys', 'create', '--org', 'globex', '--name', 'Theirs', '--allow', 'user:read', '--json'])
		for (const id of [String(globex.json!.id), 'nope', '']) expect((await owner.post('/admin/api-keys', { intent: 'revoke', id })).status, id).toBe(404)
		expect((await keysOf('globex'))[0]!.revokedAt).toBeNull()
	})
})

describe('/operator/api-keys', () => {
	it('creates platform keys that may hold org statements and manage orgs on the operator host', async () => {
		const page = await operator.request('/operator/api-keys')
		expect(page.status).toBe(200)
		expect(await page.text()).toContain('statement-org-create')
		const response = await operator.post('/operator/api-keys', form('Onboarding', ['org:read', 'org:create']))
		expect(response.status).toBe(201)
		const key = shownKey(await response.text())!
		const orgs = await foyer.client('operator').request('/api/v1/orgs', { headers: { authorization: `Bearer ${key}` } })
		expect(orgs.status).toBe(200)
		expect((await orgs.json()) as { data: { slug: string }[] }).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ slug: 'acme' })]) })
		expect((await owner.request('/operator/api-keys')).status, 'not on customer hosts').toBe(404)
	})
})

describe('foyer api-keys', () => {
	it('create --json prints the key once; list never shows it; revoke ends it', async () => {
		const created = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'CI', '--allow', 'user:read, app:read', '--json'])
		expect(created.code, created.stderr).toBe(0)
		const key = String(created.json!.key)
		expect(created.json).toMatchObject({ name: 'CI', statements: ['user:read', 'app:read'], prefix: key.slice(0, 12), org: 'acme' })
		expect((await usersApi('acme', key)).status).toBe(200)

		const list = await foyer.cli(['api-keys', 'list', '--org', 'acme', '--json'])
		expect(list.code).toBe(0)
		expect(list.stdout).not.toContain(key)
		expect(list.stdout).not.toContain('keyHash')
		expect((list.json!.apiKeys as { id: string }[]).map((k) => k.id)).toContain(created.json!.id)

		const revoked = await foyer.cli(['api-keys', 'revoke', '--org', 'acme', '--id', String(created.json!.id), '--json'])
		expect(revoked.code).toBe(0)
		expect((await usersApi('acme', key)).status).toBe(401)
		const event = await foyer.sql<{ actorId: string | null }>(`SELECT "actorId" FROM "AuditEvent" WHERE type = 'api_key.revoked' AND "targetId" = $1`, [created.json!.id])
		expect(event).toEqual([{ actorId: null }])
	})

	it('fails clearly: bad usage exits 2, refused statements and unknown ids exit 1', async () => {
		expect((await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'x'])).code).toBe(2)
		const unknown = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'x', '--allow', 'user:fly'])
		expect(unknown.code).toBe(1)
		expect(unknown.stderr).toContain('Unknown statement')
		const platform = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'x', '--allow', 'org:read'])
		expect(platform.code).toBe(1)
		expect(platform.stderr).toContain('Only platform keys')
		expect((await foyer.cli(['api-keys', 'revoke', '--org', 'acme', '--id', 'nope'])).code).toBe(1)
		expect((await foyer.cli(['api-keys', 'list', '--org', 'nowhere'])).code).toBe(1)
	})
})

/** A console user of acme with a fresh password, signed in. */
async function consoleUser(email: string, role: string) {
	const made = await foyer.cli(['users', 'create', '--org', 'acme', '--email', email, '--admin', '--json'])
	expect(made.code, made.stderr).toBe(0)
	await foyer.sql('UPDATE "User" SET role = $2 WHERE email = $1', [email, role])
	return { client: await signIn('acme', { email, password: String(made.json!.password) }), id: String(made.json!.id) }
}

async function keyBy(client: Client, name: string, statements: string[], expiresIn?: string) {
	const response = await client.post('/admin/api-keys', form(name, statements, expiresIn))
	const html = await response.text()
	expect(response.status, html.slice(0, 300)).toBe(201)
	return shownKey(html)!
}

const apiError = async (response: { json(): Promise<unknown> }) => ((await response.json()) as { error: { code: string; message: string } }).error
const deleteUserApi = (key: string, id: string) => foyer.client('acme').request(`/api/v1/users/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } })

describe("a key holds at most what its creator holds now", () => {
	it('loses what a demoted creator lost (403), and has it again once they hold it again', async () => {
		const { client, id } = await consoleUser('demoted@acme.example', 'admin')
		const key = await keyBy(client, 'Cleanup', ['user:read', 'user:delete'])
		expect((await usersApi('acme', key)).status).toBe(200)

		await foyer.sql(`UPDATE "User" SET role = 'member' WHERE id = $1`, [id])
		const victim = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'victim@acme.example', '--json'])
		const refused = await deleteUserApi(key, String(victim.json!.id))
		expect(refused.status).toBe(403)
		expect(await apiError(refused)).toMatchObject({ code: 'forbidden', message: expect.stringContaining('user who created it') })
		expect(await foyer.sql('SELECT id FROM "User" WHERE id = $1', [victim.json!.id])).toHaveLength(1)
		expect((await usersApi('acme', key)).status).toBe(403)

		await foyer.sql(`UPDATE "User" SET role = 'admin' WHERE id = $1`, [id])
		expect((await usersApi('acme', key)).status).toBe(200)
	})

	it("follows an edited custom role: statements taken from the role leave the key too", async () => {
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'role-keys', id, 'key-maker', '{"user":["read","update"],"apiKey":["read","create"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		const { client } = await consoleUser('keymaker@acme.example', 'key-maker')
		const key = await keyBy(client, 'Reader', ['user:read'])
		expect((await usersApi('acme', key)).status).toBe(200)
		await foyer.sql(`UPDATE "Role" SET statements = '{"user":["update"],"apiKey":["read","create"]}' WHERE id = 'role-keys'`)
		expect((await usersApi('acme', key)).status).toBe(403)
	})

	it("stops working (401) while its creator is disabled", async () => {
		const { client, id } = await consoleUser('disabled@acme.example', 'admin')
		const key = await keyBy(client, 'Paused', ['user:read'])
		await foyer.sql('UPDATE "User" SET "disabledAt" = now() WHERE id = $1', [id])
		const refused = await usersApi('acme', key)
		expect(refused.status).toBe(401)
		expect(await apiError(refused)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('disabled') })
		expect(await (await owner.request('/admin/api-keys')).text()).toContain('Creator disabled')
		await foyer.sql('UPDATE "User" SET "disabledAt" = NULL WHERE id = $1', [id])
		expect((await usersApi('acme', key)).status).toBe(200)
	})

	it('dies with its deleted creator (401), and never becomes an operator key', async () => {
		const { client, id } = await consoleUser('leaver@acme.example', 'admin')
		const key = await keyBy(client, 'Orphan', ['user:read'])
		await foyer.sql('DELETE FROM "User" WHERE id = $1', [id])
		const refused = await usersApi('acme', key)
		expect(refused.status).toBe(401)
		expect(await apiError(refused)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('deleted') })
		const [row] = await foyer.sql<{ createdById: string | null; creatorKind: string }>(`SELECT "createdById", "creatorKind" FROM "ApiKey" WHERE name = 'Orphan'`)
		expect(row).toEqual({ createdById: null, creatorKind: 'user' })
		expect(await (await owner.request('/admin/api-keys')).text()).toContain('Creator deleted')
	})

	it("keeps CLI keys as they are: the server operator's, bound to no user", async () => {
		const created = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'Operator job', '--allow', 'user:read', '--json'])
		expect(created.code, created.stderr).toBe(0)
		const [row] = await foyer.sql<{ createdById: string | null; creatorKind: string }>(`SELECT "createdById", "creatorKind" FROM "ApiKey" WHERE id = $1`, [created.json!.id])
		expect(row).toEqual({ createdById: null, creatorKind: 'cli' })
		expect((await usersApi('acme', String(created.json!.key))).status).toBe(200)
		expect(await (await owner.request('/admin/api-keys')).text()).toContain('CLI (server operator)')
	})
})

describe('key expiry', () => {
	const expiresAt = async (name: string) => (await foyer.sql<{ expiresAt: Date | null }>(`SELECT "expiresAt" FROM "ApiKey" WHERE name = $1`, [name]))[0]!.expiresAt
	const days = (date: Date | null) => (date!.getTime() - Date.now()) / 86_400_000

	it('is chosen at creation (90 days unless told), shown in the list, and an expired key gets 401 saying so', async () => {
		const page = await (await owner.request('/admin/api-keys')).text()
		expect(page).toMatch(/<option value="90" selected="">90 days<\/option>/)
		for (const choice of ['30', '365', 'never']) expect(page).toContain(`<option value="${choice}"`)

		const key = await keyBy(owner, 'Monthly', ['user:read'], '30')
		expect(days(await expiresAt('Monthly'))).toBeCloseTo(30, 1)
		await keyBy(owner, 'Default expiry', ['user:read'])
		expect(days(await expiresAt('Default expiry'))).toBeCloseTo(90, 1)
		await keyBy(owner, 'Forever', ['user:read'], 'never')
		expect(await expiresAt('Forever')).toBeNull()
		const list = await (await owner.request('/admin/api-keys')).text()
		expect(list).toContain(`Expires`)
		expect(list).toContain((await expiresAt('Monthly'))!.toISOString().slice(0, 10))

		expect((await usersApi('acme', key)).status).toBe(200)
		await foyer.sql(`UPDATE "ApiKey" SET "expiresAt" = now() - interval '1 minute' WHERE name = 'Monthly'`)
		const refused = await usersApi('acme', key)
		expect(refused.status).toBe(401)
		expect(await apiError(refused)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('expired') })
		expect(await (await owner.request('/admin/api-keys')).text()).toContain('Expired')
	})

	it('refuses an expiry that is not offered (400, nothing stored)', async () => {
		const response = await owner.post('/admin/api-keys', form('Odd expiry', ['user:read'], '7'))
		expect(response.status).toBe(400)
		expect(await response.text()).toContain('Choose 30, 90 or 365 days, or never')
		expect(await foyer.sql(`SELECT id FROM "ApiKey" WHERE name = 'Odd expiry'`)).toHaveLength(0)
	})

	it('foyer api-keys create --expires DAYS|never, shown by list', async () => {
		const created = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'Yearly', '--allow', 'user:read', '--expires', '365', '--json'])
		expect(created.code, created.stderr).toBe(0)
		expect(days(new Date(String(created.json!.expiresAt)))).toBeCloseTo(365, 1)
		const forever = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'No end', '--allow', 'user:read', '--expires', 'never', '--json'])
		expect(forever.json!.expiresAt).toBeNull()
		const list = await foyer.cli(['api-keys', 'list', '--org', 'acme'])
		expect(list.stdout).toMatch(/Yearly.*expires \d{4}-\d{2}-\d{2}/)
		expect(list.stdout).toMatch(/No end.*never expires/)
		const bad = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'x', '--allow', 'user:read', '--expires', '7'])
		expect(bad.code).toBe(2)
		expect(bad.stderr).toContain('--expires')
	})
})
