import { beforeAll, describe, expect, it } from 'vitest'
import { latestOutboxEmail } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { adminUsersHelpers, expectStatus } from './admin-users.fixtures'

/**
 * /admin/users and /admin/users/:id through the front door, as a browser without JavaScript:
 * creating a user with a password shown once, every intent's effect and audit event, the owner
 * rules, and bad input answered with a 4xx; then the audit chain still verifies. The tests build
 * on each other in order: "creating a user" makes the support role and helper@acme.example that
 * later ones use. Who may use /admin/users and the list are in admin-users-list.test.ts.
 */
const foyer = foyerPerFile()
const { idOf, userRow, liveSessions, auditCount, latestEvent, signIn, signedInMember } = adminUsersHelpers(foyer)
let owner: Client
let admin: Client
let ownerId = ''
let adminId = ''

beforeAll(async () => {
	owner = (await signIn(foyer.admins.acme!.email, foyer.admins.acme!.password)).client
	ownerId = (await idOf(foyer.admins.acme!.email))!
	const made = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'admin@acme.example', '--admin', '--json'])
	admin = (await signIn('admin@acme.example', String(made.json!.password))).client
	adminId = (await idOf('admin@acme.example'))!
})

describe('creating a user', () => {
	it('shows the generated password once, and it signs in at /login', async () => {
		const before = await auditCount()
		const html = await expectStatus(await owner.post('/admin/users', { email: ' New.Person@Acme.Example ', role: 'admin' }), 201)
		const password = /data-testid="created-password"[^>]*>([^<]+)</.exec(html)?.[1]
		expect(password).toMatch(/^[A-Za-z0-9]{24}$/)
		const id = (await idOf('new.person@acme.example'))!
		expect((await userRow(id))!.role).toBe('admin')
		expect(await auditCount()).toBe(before + 1)
		const event = await latestEvent('user.created', id)
		expect(event.actorId).toBe(ownerId)
		expect(await owner.request('/admin/users?q=new.person').then((response) => response.text())).not.toContain(password!)
		const { response } = await signIn('new.person@acme.example', password!)
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).not.toContain('/login')
	})

	it('offers owner only to owners, and custom roles of the org', async () => {
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'role-support', id, 'support', '{"user":["read"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		const ownerPage = await expectStatus(await owner.request('/admin/users'), 200)
		expect(ownerPage).toContain('<option value="owner">')
		expect(ownerPage).toContain('<option value="support">')
		const adminPage = await expectStatus(await admin.request('/admin/users'), 200)
		expect(adminPage).not.toContain('<option value="owner">')
		expect(adminPage).toContain('<option value="support">')
		await expectStatus(await admin.post('/admin/users', { email: 'wannabe@acme.example', role: 'owner' }), 400)
		expect(await idOf('wannabe@acme.example')).toBeUndefined()
		await expectStatus(await admin.post('/admin/users', { email: 'helper@acme.example', role: 'support' }), 201)
		expect((await userRow((await idOf('helper@acme.example'))!))!.role).toBe('support')
	})

	it('answers bad input with 4xx and field messages, writing nothing', async () => {
		const before = await auditCount()
		const empty = await expectStatus(await owner.post('/admin/users', {}), 400)
		expect(empty).toContain('Email is required')
		expect(await expectStatus(await owner.post('/admin/users', { email: 'not-an-email', role: 'member' }), 400)).toContain('Enter a valid email address')
		expect(await expectStatus(await owner.post('/admin/users', { email: 'x@acme.example', role: 'superuser' }), 400)).toContain('Choose one of the roles listed')
		await expectStatus(await owner.post('/admin/users', { email: `${'a'.repeat(2000)}@acme.example`, role: 'member' }), 400)
		await expectStatus(await owner.post('/admin/users', { email: 'x\u0000@acme.example', role: 'member' }), 400)
		expect(await expectStatus(await owner.post('/admin/users', { email: 'admin@acme.example', role: 'member' }), 409)).toContain('already exists')
		await expectStatus(await owner.request('/admin/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"j@acme.example"}' }), 415)
		expect(await auditCount()).toBe(before)
	})
})

describe('changing a user', () => {
	it('revoke-sessions ends every session of the user, audited', async () => {
		const target = await signedInMember('sessions@acme.example')
		expect(await liveSessions(target.id)).toBe(1)
		const page = await expectStatus(await owner.request(`/admin/users/${target.id}`), 200)
		expect(page).toContain('data-testid="user-sessions"')
		const response = await owner.post(`/admin/users/${target.id}`, { intent: 'revoke-sessions' })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe(`/admin/users/${target.id}?done=revoke-sessions`)
		expect(await liveSessions(target.id)).toBe(0)
		expect((await target.client.request('/account')).status).toBe(302)
		const event = await latestEvent('user.sessions_revoked', target.id)
		expect(event).toMatchObject({ actorId: ownerId, targetType: 'user', data: { count: 1 } })
	})

	it('disable signs the user out and keeps them out; enable lets them back in', async () => {
		const target = await signedInMember('disable@acme.example')
		expect((await owner.post(`/admin/users/${target.id}`, { intent: 'disable' })).status).toBe(302)
		expect((await userRow(target.id))!.disabledAt).not.toBeNull()
		expect(await liveSessions(target.id)).toBe(0)
		expect((await signIn('disable@acme.example', target.password)).response.status).not.toBe(302)
		expect(await latestEvent('user.disabled', target.id)).toMatchObject({ actorId: ownerId, data: { sessionsRevoked: 1 } })
		const list = await owner.request('/admin/users?q=disable@').then((response) => response.text())
		expect(list).toContain('>disabled</td>')

		expect((await owner.post(`/admin/users/${target.id}`, { intent: 'enable' })).status).toBe(302)
		expect((await userRow(target.id))!.disabledAt).toBeNull()
		expect(await latestEvent('user.enabled', target.id)).toMatchObject({ actorId: ownerId })
		expect((await signIn('disable@acme.example', target.password)).response.status).toBe(302)
	})

	it('force-password-reset removes the password, ends sessions and emails a reset link', async () => {
		const target = await signedInMember('reset@acme.example')
		const started = new Date(Date.now() - 1000)
		expect((await owner.post(`/admin/users/${target.id}`, { intent: 'force-password-reset' })).status).toBe(302)
		expect(await foyer.sql(`SELECT 1 FROM "Password" WHERE "userId" = $1`, [target.id])).toEqual([])
		expect(await liveSessions(target.id)).toBe(0)
		expect((await signIn('reset@acme.example', target.password)).response.status).not.toBe(302)
		const mail = await latestOutboxEmail(foyer, 'reset@acme.example', { template: 'reset-password', after: started, org: 'acme' })
		expect(mail.text).toContain('/verify?token=')
		expect(await latestEvent('user.password_reset_forced', target.id)).toMatchObject({ actorId: ownerId, data: { passwordRemoved: true, sessionsRevoked: 1 } })
	})

	it('remove-factors deletes TOTP, passkeys, phone and backup codes', async () => {
		const target = await signedInMember('factors@acme.example')
		await foyer.sql(`INSERT INTO "TotpFactor" ("userId", "organizationId", "secretEncrypted", "confirmedAt") SELECT id, "organizationId", 'sealed', now() FROM "User" WHERE id = $1`, [target.id])
		await foyer.sql(`INSERT INTO "BackupCode" (id, "userId", "organizationId", "codeHash") SELECT 'bc-' || g, u.id, u."organizationId", 'hash-' || g FROM "User" u, generate_series(1, 3) g WHERE u.id = $1`, [target.id])
		await foyer.sql(`INSERT INTO "PhoneFactor" ("userId", "organizationId", "phoneNumber", "verifiedAt", "updatedAt") SELECT id, "organizationId", '+14155550123', now(), now() FROM "User" WHERE id = $1`, [target.id])
		await foyer.sql(
			`INSERT INTO "Passkey" (id, "organizationId", "userId", "credentialId", "publicKey", transports, "deviceType", "rpId", name) SELECT 'pk-1', "organizationId", id, 'cred-1', '\\x00', '{}', 'singleDevice', 'acme.localhost', 'Key' FROM "User" WHERE id = $1`,
			[target.id],
		)
		expect(await owner.request('/admin/users?q=factors@').then((response) => response.text())).toMatch(/>yes<\/td>/)
		expect(await owner.request(`/admin/users/${target.id}`).then((response) => response.text())).toContain('authenticator app')

		expect((await owner.post(`/admin/users/${target.id}`, { intent: 'remove-factors' })).status).toBe(302)
		for (const table of ['TotpFactor', 'BackupCode', 'PhoneFactor', 'Passkey']) {
			expect(await foyer.sql(`SELECT 1 FROM "${table}" WHERE "userId" = $1`, [target.id]), table).toEqual([])
		}
		expect(await latestEvent('user.factors_removed', target.id)).toMatchObject({ actorId: ownerId, data: { totp: 1, passkeys: 1, phone: 1, backupCodes: 3 } })
		expect(await owner.request('/admin/users?q=factors@').then((response) => response.text())).toMatch(/>no<\/td>/)
	})

	it('change-role gives built-in and custom roles, audited with from and to', async () => {
		const target = await signedInMember('promote@acme.example')
		expect((await owner.post(`/admin/users/${target.id}`, { intent: 'change-role', role: 'admin' })).status).toBe(302)
		expect((await userRow(target.id))!.role).toBe('admin')
		expect(await latestEvent('user.role_changed', target.id)).toMatchObject({ actorId: ownerId, data: { from: 'member', to: 'admin' } })
		expect((await admin.post(`/admin/users/${target.id}`, { intent: 'change-role', role: 'support' })).status).toBe(302)
		expect((await userRow(target.id))!.role).toBe('support')
		expect(await latestEvent('user.role_changed', target.id)).toMatchObject({ actorId: adminId, data: { from: 'admin', to: 'support' } })
		const html = await expectStatus(await owner.post(`/admin/users/${target.id}`, { intent: 'change-role', role: 'no-such-role' }), 400)
		expect(html).toContain('There is no role named')
		expect((await userRow(target.id))!.role).toBe('support')
	})

	it('delete removes the user after the box is ticked, audited', async () => {
		const target = await signedInMember('delete@acme.example')
		const unconfirmed = await expectStatus(await owner.post(`/admin/users/${target.id}`, { intent: 'delete' }), 400)
		expect(unconfirmed).toContain('Tick the box to confirm the deletion.')
		expect(await userRow(target.id)).toBeTruthy()
		const response = await owner.post(`/admin/users/${target.id}`, { intent: 'delete', confirm: 'on' })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/admin/users?deleted=1')
		expect(await userRow(target.id)).toBeUndefined()
		expect(await latestEvent('user.deleted', target.id)).toMatchObject({ actorId: ownerId, data: { email: 'delete@acme.example', by: 'admin' } })
		expect((await target.client.request('/account')).status).toBe(302)
		await expectStatus(await owner.request(`/admin/users/${target.id}`), 404)
	})

	it('shows the user’s recent events as actor or target', async () => {
		const target = await signedInMember('history@acme.example')
		await owner.post(`/admin/users/${target.id}`, { intent: 'revoke-sessions' })
		const html = await expectStatus(await owner.request(`/admin/users/${target.id}`), 200)
		const events = /data-testid="user-events".*?<\/ol>/s.exec(html)?.[0] ?? ''
		expect(events.indexOf('user.sessions_revoked')).toBeGreaterThan(-1)
		expect(events.indexOf('user.signed_in')).toBeGreaterThan(events.indexOf('user.sessions_revoked'))
		expect(events).toContain('user.created')
	})
})

describe('the owner rules', () => {
	it('an admin cannot act on an owner, nor make anyone an owner', async () => {
		const before = await auditCount()
		for (const fields of <Record<string, string>[]>[{ intent: 'disable' }, { intent: 'force-password-reset' }, { intent: 'revoke-sessions' }, { intent: 'remove-factors' }, { intent: 'change-role', role: 'member' }, { intent: 'delete', confirm: 'on' }]) {
			const html = await expectStatus(await admin.post(`/admin/users/${ownerId}`, fields), 403)
			expect(html, fields.intent).toContain('Only an owner')
		}
		const member = (await idOf('helper@acme.example'))!
		expect(await expectStatus(await admin.post(`/admin/users/${member}`, { intent: 'change-role', role: 'owner' }), 403)).toContain('Only an owner can make someone an owner')
		expect(await userRow(ownerId)).toEqual({ role: 'owner', disabledAt: null })
		expect(await liveSessions(ownerId)).toBeGreaterThan(0)
		expect(await auditCount()).toBe(before)
	})

	it('a custom role with user: update acts only on weaker roles and cannot raise its holder', async () => {
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'role-helpdesk', id, 'helpdesk', '{"user":["read","update"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		const helper = await signedInMember('helpdesk@acme.example')
		await foyer.sql(`UPDATE "User" SET role = 'helpdesk' WHERE id = $1`, [helper.id])
		const before = await auditCount()
		expect(await expectStatus(await helper.client.post(`/admin/users/${helper.id}`, { intent: 'change-role', role: 'admin' }), 403)).toContain('grants no more than your own')
		expect(await expectStatus(await helper.client.post(`/admin/users/${adminId}`, { intent: 'disable' }), 403)).toContain('grants no more than your own')
		await expectStatus(await helper.client.post('/admin/users', { email: 'by-helpdesk@acme.example', role: 'member' }), 403)
		expect(await auditCount()).toBe(before)
		const list = await expectStatus(await helper.client.request('/admin/users'), 200)
		expect(list).not.toContain('Create a user')
		expect(await expectStatus(await helper.client.request(`/admin/users/${adminId}`), 200)).not.toContain('Change role')
		const member = await signedInMember('helped@acme.example')
		expect((await helper.client.post(`/admin/users/${member.id}`, { intent: 'revoke-sessions' })).status).toBe(302)
		expect(await latestEvent('user.sessions_revoked', member.id)).toMatchObject({ actorId: helper.id })
		expect((await userRow(helper.id))!.role).toBe('helpdesk')
	})

	it('nobody disables or deletes themselves here', async () => {
		expect(await expectStatus(await admin.post(`/admin/users/${adminId}`, { intent: 'disable' }), 403)).toContain('disable your own account')
		expect(await expectStatus(await owner.post(`/admin/users/${ownerId}`, { intent: 'delete', confirm: 'on' }), 403)).toContain('delete your own account here')
		expect((await userRow(adminId))!.disabledAt).toBeNull()
	})

	it('the last enabled owner cannot be demoted (409); with a second owner the rule lets go', async () => {
		const html = await expectStatus(await owner.post(`/admin/users/${ownerId}`, { intent: 'change-role', role: 'admin' }), 409)
		expect(html).toContain('only owner')
		// A disabled second owner does not count.
		const second = await signedInMember('second-owner@acme.example')
		expect((await owner.post(`/admin/users/${second.id}`, { intent: 'change-role', role: 'owner' })).status).toBe(302)
		expect((await owner.post(`/admin/users/${second.id}`, { intent: 'disable' })).status).toBe(302)
		await expectStatus(await owner.post(`/admin/users/${ownerId}`, { intent: 'change-role', role: 'admin' }), 409)
		expect((await userRow(ownerId))!.role).toBe('owner')
		// Enabled again, the second owner may demote the first, and is then the last one.
		expect((await owner.post(`/admin/users/${second.id}`, { intent: 'enable' })).status).toBe(302)
		const { client: secondOwner } = await signIn('second-owner@acme.example', second.password)
		expect((await secondOwner.post(`/admin/users/${ownerId}`, { intent: 'change-role', role: 'admin' })).status).toBe(302)
		expect((await userRow(ownerId))!.role).toBe('admin')
		expect(await expectStatus(await secondOwner.post(`/admin/users/${second.id}`, { intent: 'change-role', role: 'member' }), 409)).toContain('only owner')
		expect((await secondOwner.post(`/admin/users/${ownerId}`, { intent: 'change-role', role: 'owner' })).status).toBe(302)
		expect((await userRow(ownerId))!.role).toBe('owner')
	})
})

describe('bad input on /admin/users/:id', () => {
	it('answers 4xx with a message, never 500, and writes nothing', async () => {
		const target = (await idOf('helper@acme.example'))!
		const before = await auditCount()
		for (const fields of <Record<string, string>[]>[{}, { intent: 'explode' }, { intent: '' }, { intent: 'change-role' }, { intent: 'change-role', role: '' }, { intent: 'change-role', role: 'x'.repeat(5000) }, { intent: 'delete', confirm: 'maybe' }]) {
			const response = await owner.post(`/admin/users/${target}`, fields)
			expect(response.status, JSON.stringify(fields).slice(0, 80)).toBe(400)
			expect(await response.text()).toMatch(/role="alert"|id="[^"]+-error"/)
		}
		for (const id of ['x'.repeat(500), '%00', 'no-such-user', '..%2F..%2Fadmin']) {
			await expectStatus(await owner.request(`/admin/users/${id}`), 404)
			await expectStatus(await owner.post(`/admin/users/${id}`, { intent: 'disable' }), 404)
		}
		await expectStatus(await owner.request(`/admin/users/${target}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"intent":"disable"}' }), 415)
		expect(await auditCount()).toBe(before)
		expect((await userRow(target))!.disabledAt).toBeNull()
	})

	it('the audit chain still verifies after all of the above', async () => {
		const result = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(result.code, result.stderr).toBe(0)
		expect(result.json!.ok).toBe(true)
	})
})
