import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * /admin/roles and /admin/teams through the front door, as a browser without JavaScript: custom
 * roles and what their holders may reach, delete refused while held, teams and their members kept
 * inside the org, audit events, and bad input answered with a 4xx and a message.
 */
const foyer = foyerPerFile()
let owner: Client
let admin: Client
let globexRoleId = ''
let globexTeamId = ''

async function signIn(slug: string, credentials: { email: string; password: string }) {
	const client = foyer.client(slug)
	const login = await client.post('/login', credentials)
	expect(login.status, `${credentials.email} signs in`).toBe(302)
	return client
}

const auditEvents = (type: string) =>
	foyer.sql<{ data: Record<string, unknown>; targetId: string; actorId: string }>(
		`SELECT e.data, e."targetId", e."actorId" FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = $1 ORDER BY e.seq`,
		[type],
	)

const acmeRoles = () => foyer.sql<{ id: string; name: string; description: string; statements: unknown }>(`SELECT r.id, r.name, r.description, r.statements FROM "Role" r JOIN "Organization" o ON o.id = r."organizationId" WHERE o.slug = 'acme' ORDER BY r.name`)

const setRole = (email: string, role: string) => foyer.sql(`UPDATE "User" SET role = $2 WHERE email = $1 AND "organizationId" = (SELECT id FROM "Organization" WHERE slug = 'acme')`, [email, role])

function roleForm(name: string, statements: string[], description = '') {
	const form = new URLSearchParams({ intent: 'save', name, description })
	for (const statement of statements) form.append('statements', statement)
	return form
}

async function expectClientError(response: Awaited<ReturnType<Client['request']>>, status: number, message?: string | RegExp) {
	const html = await response.text()
	expect(response.status, html.slice(0, 300)).toBe(status)
	expect(html).toMatch(/role="alert"|id="[^"]+-error"/)
	if (message) expect(html).toMatch(message)
	return html
}

beforeAll(async () => {
	owner = await signIn('acme', foyer.admins.acme!)
	const created = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'second@acme.example', '--admin', '--json'])
	admin = await signIn('acme', { email: 'second@acme.example', password: String(created.json!.password) })
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--color', '#15803d'])).code).toBe(0)
	expect((await foyer.cli(['users', 'create', '--org', 'globex', '--email', 'stranger@globex.example', '--json'])).code).toBe(0)
	const [role] = await foyer.sql<{ id: string }>(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'globexrole1', id, 'Auditor', '{"audit":["read"]}', now() FROM "Organization" WHERE slug = 'globex' RETURNING id`)
	globexRoleId = role!.id
	const [team] = await foyer.sql<{ id: string }>(`INSERT INTO "Team" (id, "organizationId", name) SELECT 'globexteam1', id, 'Secret team' FROM "Organization" WHERE slug = 'globex' RETURNING id`)
	globexTeamId = team!.id
})

describe('/admin/roles', () => {
	let roleId = ''

	it('lists the built-in roles with their statements', async () => {
		const response = await admin.request('/admin/roles')
		const html = await response.text()
		expect(response.status).toBe(200)
		for (const name of ['owner', 'admin', 'member']) expect(html).toContain(`>${name}<`)
		expect(html).toContain('user: read, create, update, delete')
		expect(html).toContain('No console access')
		// Admins may read roles but not define them.
		expect(html).not.toContain('Create a custom role')
	})

	it('lets an owner create a custom role from the checkbox grid, with role.created', async () => {
		expect((await owner.request('/admin/roles/new')).status).toBe(200)
		const response = await owner.post('/admin/roles/new', roleForm('Team viewer', ['team:read', 'invitation:read'], 'Reads teams'))
		expect(response.status, await response.clone().text()).toBe(302)
		const [role] = await acmeRoles()
		expect(role).toMatchObject({ name: 'Team viewer', description: 'Reads teams', statements: { team: ['read'], invitation: ['read'] } })
		roleId = role!.id
		expect(response.headers.get('location')).toBe(`/admin/roles/${roleId}?saved=1`)
		expect(await auditEvents('role.created')).toEqual([expect.objectContaining({ targetId: roleId, data: { name: 'Team viewer', statements: { team: ['read'], invitation: ['read'] } } })])
		const list = await (await owner.request('/admin/roles')).text()
		expect(list).toContain('Team viewer')
		expect(list).toContain('team: read · invitation: read')
	})

	it('refuses bad names and unknown statements with 400 and a message, writing nothing', async () => {
		await expectClientError(await owner.post('/admin/roles/new', roleForm('owner', ['team:read'])), 400, 'That name belongs to a built-in role')
		await expectClientError(await owner.post('/admin/roles/new', roleForm('Admin', [])), 400, 'That name belongs to a built-in role')
		await expectClientError(await owner.post('/admin/roles/new', roleForm('<script>', [])), 400, 'Use letters, digits, spaces, - and _ only')
		await expectClientError(await owner.post('/admin/roles/new', roleForm('x'.repeat(51), [])), 400, 'at most 50 characters')
		await expectClientError(await owner.post('/admin/roles/new', roleForm('', [])), 400, 'Name is required')
		await expectClientError(await owner.post('/admin/roles/new', roleForm('Flyer', ['user:fly'])), 400, /Unknown action &quot;fly&quot; on user|Unknown action "fly" on user/)
		await expectClientError(await owner.post('/admin/roles/new', roleForm('Flyer', ['planet:read'])), 400, /Unknown resource/)
		await expectClientError(await owner.post('/admin/roles/new', roleForm('Team viewer', [])), 409, 'A role with this name already exists here.')
		expect((await acmeRoles()).map((role) => role.name)).toEqual(['Team viewer'])
		// Not a form at all, and an intent that does not exist.
		expect((await owner.request('/admin/roles/new', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(415)
		expect((await owner.post('/admin/roles/new', { intent: 'explode' })).status).toBe(400)
	})

	it('gives admins (role: read only) 403 on create, update and delete', async () => {
		expect((await admin.request('/admin/roles/new')).status).toBe(403)
		expect((await admin.post('/admin/roles/new', roleForm('Sneaky', ['user:delete']))).status).toBe(403)
		expect((await admin.post(`/admin/roles/${roleId}`, roleForm('Team viewer', ['user:delete']))).status).toBe(403)
		expect((await admin.post(`/admin/roles/${roleId}`, { intent: 'delete', confirm: 'on' })).status).toBe(403)
		expect((await admin.request(`/admin/roles/${roleId}`)).status).toBe(200)
		expect(await acmeRoles()).toHaveLength(1)
	})

	it('lets the holder of a custom role reach exactly what its statements allow', async () => {
		const viewer = await signUpVerified(foyer, 'acme', 'viewer@acme.example')
		expect((await viewer.request('/admin/teams')).status).toBe(403)
		await setRole('viewer@acme.example', 'Team viewer')
		expect((await viewer.request('/admin/teams')).status).toBe(200)
		expect((await viewer.request('/admin/invitations')).status).toBe(200)
		for (const path of ['/admin/apps', '/admin/roles', `/admin/roles/${roleId}`]) expect((await viewer.request(path)).status, path).toBe(403)
		// Reading teams is not creating them, nor sending invitations.
		expect((await viewer.post('/admin/teams', { name: 'Mine' })).status).toBe(403)
		expect((await viewer.post('/admin/invitations', { intent: 'send', email: 'friend@acme.example', role: 'member' })).status).toBe(403)
	})

	it('updates statements with role.updated (from and to), and the holder gains them at once', async () => {
		const viewer = await signIn('acme', { email: 'viewer@acme.example', password: PASSWORD })
		expect((await viewer.request('/admin/apps')).status).toBe(403)
		const response = await owner.post(`/admin/roles/${roleId}`, roleForm('Team viewer', ['team:read', 'invitation:read', 'app:read'], 'Reads teams and apps'))
		expect(response.status).toBe(302)
		expect((await viewer.request('/admin/apps')).status).toBe(200)
		const [event] = await auditEvents('role.updated')
		expect(event!.data).toMatchObject({
			from: { name: 'Team viewer', statements: { team: ['read'], invitation: ['read'] } },
			to: { name: 'Team viewer', description: 'Reads teams and apps', statements: { team: ['read'], invitation: ['read'], app: ['read'] } },
		})
	})

	it('carries holders along on a rename', async () => {
		expect((await owner.post(`/admin/roles/${roleId}`, roleForm('Viewer', ['team:read', 'invitation:read', 'app:read']))).status).toBe(302)
		expect(await foyer.sql(`SELECT role FROM "User" WHERE email = 'viewer@acme.example'`)).toEqual([{ role: 'Viewer' }])
		const viewer = await signIn('acme', { email: 'viewer@acme.example', password: PASSWORD })
		expect((await viewer.request('/admin/teams')).status).toBe(200)
	})

	it('refuses to delete a role while users hold it (409), then deletes it with role.deleted', async () => {
		await expectClientError(await owner.post(`/admin/roles/${roleId}`, { intent: 'delete' }), 400, 'Tick the box')
		await expectClientError(await owner.post(`/admin/roles/${roleId}`, { intent: 'delete', confirm: 'on' }), 409, '1 user holds this role')
		expect(await acmeRoles()).toHaveLength(1)
		await setRole('viewer@acme.example', 'member')
		const deleted = await owner.post(`/admin/roles/${roleId}`, { intent: 'delete', confirm: 'on' })
		expect(deleted.status).toBe(302)
		expect(deleted.headers.get('location')).toBe('/admin/roles?deleted=1')
		expect(await acmeRoles()).toEqual([])
		expect(await auditEvents('role.deleted')).toEqual([expect.objectContaining({ targetId: roleId, data: expect.objectContaining({ name: 'Viewer' }) })])
		expect((await owner.request(`/admin/roles/${roleId}`)).status).toBe(404)
	})

	it("answers another org's role id, and garbage ids, with 404 and changes nothing", async () => {
		for (const path of [`/admin/roles/${globexRoleId}`, '/admin/roles/%00bad', `/admin/roles/${'x'.repeat(200)}`]) {
			expect((await owner.request(path)).status, path).toBe(404)
		}
		expect((await owner.post(`/admin/roles/${globexRoleId}`, roleForm('Mine now', ['user:delete']))).status).toBe(404)
		expect((await owner.post(`/admin/roles/${globexRoleId}`, { intent: 'delete', confirm: 'on' })).status).toBe(404)
		expect(await foyer.sql(`SELECT name, statements FROM "Role" WHERE id = $1`, [globexRoleId])).toEqual([{ name: 'Auditor', statements: { audit: ['read'] } }])
	})

	it('lets a role editor put in a role only what their own role holds: no one makes a role stronger than their own', async () => {
		const keeperStatements = ['user:read', 'role:read', 'role:create', 'role:update', 'role:delete']
		const createdKeeper = await owner.post('/admin/roles/new', roleForm('Role keeper', keeperStatements))
		expect(createdKeeper.status).toBe(302)
		const keeperId = /\/admin\/roles\/([^?]+)/.exec(createdKeeper.headers.get('location')!)![1]!
		const big = await owner.post('/admin/roles/new', roleForm('Key maker', ['apiKey:read', 'apiKey:create']))
		const bigId = /\/admin\/roles\/([^?]+)/.exec(big.headers.get('location')!)![1]!
		const keeper = await signUpVerified(foyer, 'acme', 'keeper@acme.example')
		await setRole('keeper@acme.example', 'Role keeper')
		const statementsOf = async (id: string) => (await foyer.sql<{ statements: unknown }>(`SELECT statements FROM "Role" WHERE id = $1`, [id]))[0]?.statements

		// Raising their own role, or making a stronger one: refused, nothing written.
		await expectClientError(await keeper.post(`/admin/roles/${keeperId}`, roleForm('Role keeper', [...keeperStatements, 'app:delete'])), 403, /Your own role doesn&#x27;t allow app:delete/)
		expect(await statementsOf(keeperId)).toEqual({ user: ['read'], role: ['read', 'create', 'update', 'delete'] })
		await expectClientError(await keeper.post('/admin/roles/new', roleForm('Stronger', ['settings:update'])), 403, /settings:update/)
		// Changing or deleting a role that holds more than they do: refused too.
		await expectClientError(await keeper.post(`/admin/roles/${bigId}`, roleForm('Key maker', ['user:read'])), 403, /apiKey:read, apiKey:create/)
		await expectClientError(await keeper.post(`/admin/roles/${bigId}`, { intent: 'delete', confirm: 'on' }), 403, /apiKey:read/)
		expect(await statementsOf(bigId)).toEqual({ apiKey: ['read', 'create'] })
		expect((await acmeRoles()).map((role) => role.name)).toEqual(['Key maker', 'Role keeper'])

		// Within their own statements they work as any editor.
		const reader = await keeper.post('/admin/roles/new', roleForm('Reader', ['user:read']))
		expect(reader.status).toBe(302)
		const readerId = /\/admin\/roles\/([^?]+)/.exec(reader.headers.get('location')!)![1]!
		expect((await keeper.post(`/admin/roles/${readerId}`, { intent: 'delete', confirm: 'on' })).status).toBe(302)

		await setRole('keeper@acme.example', 'member')
		for (const id of [keeperId, bigId]) expect((await owner.post(`/admin/roles/${id}`, { intent: 'delete', confirm: 'on' })).status).toBe(302)
	})
})

describe('/admin/teams', () => {
	let teamId = ''

	it('creates a team (unique name per org) with team.created', async () => {
		const response = await admin.post('/admin/teams', { name: 'Support', description: 'First line' })
		expect(response.status).toBe(302)
		teamId = /\/admin\/teams\/([^?]+)\?created=1$/.exec(response.headers.get('location') ?? '')![1]!
		expect(await auditEvents('team.created')).toEqual([expect.objectContaining({ targetId: teamId, data: { name: 'Support', description: 'First line' } })])
		await expectClientError(await admin.post('/admin/teams', { name: 'Support' }), 409, 'A team with this name already exists here.')
		await expectClientError(await admin.post('/admin/teams', { name: '   ' }), 400, 'Name is required')
		// Another org may use the same name.
		expect(await foyer.sql(`SELECT count(*)::int AS n FROM "Team" WHERE name = 'Support'`)).toEqual([{ n: 1 }])
		const list = await (await admin.request('/admin/teams')).text()
		expect(list).toContain('Support')
	})

	it('adds members by email, only users of this org', async () => {
		await signUpVerified(foyer, 'acme', 'agent@acme.example')
		const added = await admin.post(`/admin/teams/${teamId}`, { intent: 'add-member', email: 'Agent@ACME.example' })
		expect(added.status).toBe(200)
		expect(await added.text()).toContain('agent@acme.example was added.')
		expect((await (await admin.post(`/admin/teams/${teamId}`, { intent: 'add-member', email: 'agent@acme.example' })).text())).toContain('already a member')
		await expectClientError(await admin.post(`/admin/teams/${teamId}`, { intent: 'add-member', email: 'nobody@acme.example' }), 400, 'No user with that email here')
		// A user of another org is nobody here.
		await expectClientError(await admin.post(`/admin/teams/${teamId}`, { intent: 'add-member', email: 'stranger@globex.example' }), 400, 'No user with that email here')
		await expectClientError(await admin.post(`/admin/teams/${teamId}`, { intent: 'add-member', email: 'not-an-email' }), 400, 'Enter a valid email address')
		const members = await foyer.sql<{ email: string }>(`SELECT u.email FROM "TeamMember" m JOIN "User" u ON u.id = m."userId" WHERE m."teamId" = $1`, [teamId])
		expect(members).toEqual([{ email: 'agent@acme.example' }])
		expect((await auditEvents('team.member_added')).map((event) => event.data)).toEqual([{ name: 'Support', userId: expect.any(String), email: 'agent@acme.example' }])
		expect(await (await admin.request(`/admin/teams/${teamId}`)).text()).toContain('agent@acme.example')
	})

	it('renames and describes a team with team.updated', async () => {
		expect((await admin.post(`/admin/teams/${teamId}`, { intent: 'update', name: 'Customer support', description: 'All lines' })).status).toBe(302)
		expect(await foyer.sql(`SELECT name, description FROM "Team" WHERE id = $1`, [teamId])).toEqual([{ name: 'Customer support', description: 'All lines' }])
		expect((await auditEvents('team.updated'))[0]!.data).toEqual({ name: 'Customer support', from: { name: 'Support', description: 'First line' }, to: { name: 'Customer support', description: 'All lines' } })
		await expectClientError(await admin.post(`/admin/teams/${teamId}`, { intent: 'update', name: '' }), 400, 'Name is required')
	})

	it('removes a member with team.member_removed; removing a stranger is a 404', async () => {
		const [agent] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'agent@acme.example'`)
		const [stranger] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'stranger@globex.example'`)
		expect((await admin.post(`/admin/teams/${teamId}`, { intent: 'remove-member', userId: stranger!.id })).status).toBe(404)
		const removed = await admin.post(`/admin/teams/${teamId}`, { intent: 'remove-member', userId: agent!.id })
		expect(removed.status).toBe(200)
		expect(await foyer.sql(`SELECT * FROM "TeamMember" WHERE "teamId" = $1`, [teamId])).toEqual([])
		expect((await auditEvents('team.member_removed')).map((event) => event.data)).toEqual([{ name: 'Customer support', userId: agent!.id, email: 'agent@acme.example' }])
		expect((await admin.post(`/admin/teams/${teamId}`, { intent: 'remove-member', userId: '' })).status).toBe(400)
	})

	it("keeps another org's team out of reach: 404 for reads and every change", async () => {
		const [agent] = await foyer.sql<{ id: string }>(`SELECT id FROM "User" WHERE email = 'agent@acme.example'`)
		expect((await admin.request(`/admin/teams/${globexTeamId}`)).status).toBe(404)
		for (const form of [
			{ intent: 'update', name: 'Hijacked' } as Record<string, string>,
			{ intent: 'add-member', email: 'agent@acme.example' },
			{ intent: 'remove-member', userId: agent!.id },
			{ intent: 'delete', confirm: 'on' },
		]) {
			expect((await admin.post(`/admin/teams/${globexTeamId}`, form)).status, form.intent).toBe(404)
		}
		expect(await foyer.sql(`SELECT name FROM "Team" WHERE id = $1`, [globexTeamId])).toEqual([{ name: 'Secret team' }])
		expect(await foyer.sql(`SELECT * FROM "TeamMember" WHERE "teamId" = $1`, [globexTeamId])).toEqual([])
		expect(await (await admin.request('/admin/teams')).text()).not.toContain('Secret team')
	})

	it('deletes a team with team.deleted', async () => {
		await expectClientError(await admin.post(`/admin/teams/${teamId}`, { intent: 'delete' }), 400, 'Tick the box')
		const deleted = await admin.post(`/admin/teams/${teamId}`, { intent: 'delete', confirm: 'on' })
		expect(deleted.status).toBe(302)
		expect(deleted.headers.get('location')).toBe('/admin/teams?deleted=1')
		expect(await foyer.sql(`SELECT * FROM "Team" WHERE id = $1`, [teamId])).toEqual([])
		expect(await auditEvents('team.deleted')).toEqual([expect.objectContaining({ targetId: teamId, data: { name: 'Customer support', members: 0 } })])
		expect((await admin.request(`/admin/teams/${teamId}`)).status).toBe(404)
	})

	it('keeps members (no team statements) out', async () => {
		const member = await signIn('acme', { email: 'agent@acme.example', password: PASSWORD })
		expect((await member.request('/admin/teams')).status).toBe(403)
		expect((await member.post('/admin/teams', { name: 'Mine' })).status).toBe(403)
	})
})
