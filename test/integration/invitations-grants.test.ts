import { beforeAll, describe, expect, it } from 'vitest'
import { latestOutboxEmail, PASSWORD } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { STATEMENTS } from '../../app/modules/permissions/statements'
import { type Client } from '../setup/http'

/**
 * Who may hand out which role through an invitation, and that the answer still holds when the
 * link is used: the console's send, resend and role list apply the same rule as changing a role
 * (nobody gives a role that can do more than their own; only owners give `owner`), and accepting
 * re-checks the sender (a user, an API key or an operator) as they are now.
 */
const foyer = foyerPerFile()
let owner: Client
let operator: Client

type Response = Awaited<ReturnType<Client['request']>>

async function expectStatus(response: Response, status: number) {
	const html = await response.text()
	expect(response.status, html.slice(0, 400)).toBe(status)
	return html
}

async function signIn(slug: string, email: string, password: string) {
	const client = foyer.client(slug)
	expect((await client.post('/login', { email, password })).status, `${email} signs in`).toBe(302)
	return client
}

/** A CLI-made user of acme holding `role`, signed in. */
async function userWithRole(email: string, role: string) {
	const made = await foyer.cli(['users', 'create', '--org', 'acme', '--email', email, '--json'])
	expect(made.code, made.stderr).toBe(0)
	await foyer.sql(`UPDATE "User" SET role = $1 WHERE email = $2`, [role, email])
	return { id: String(made.json!.id), client: await signIn('acme', email, String(made.json!.password)) }
}

async function addRole(name: string, statements: object) {
	await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT $1, id, $2, $3, now() FROM "Organization" WHERE slug = 'acme'`, [
		`role-${name.toLowerCase()}`,
		name,
		JSON.stringify(statements),
	])
}

const invitationOf = async (email: string) =>
	(await foyer.sql<{ id: string; role: string; tokenHash: string; acceptedAt: Date | null }>(`SELECT id, role, "tokenHash", "acceptedAt" FROM "Invitation" WHERE email = $1 ORDER BY "createdAt" DESC LIMIT 1`, [email]))[0]

const userRole = async (email: string) => (await foyer.sql<{ role: string }>(`SELECT role FROM "User" WHERE email = $1`, [email]))[0]?.role

function tokenFrom(text: string) {
	const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(text)
	if (!match) throw new Error(`no invitation link in:\n${text}`)
	return match[1]!
}

async function invite(client: Client, email: string, role: string) {
	const started = new Date(Date.now() - 1000)
	await expectStatus(await client.post('/admin/invitations', { intent: 'send', email, role }), 201)
	return tokenFrom((await latestOutboxEmail(foyer, email, { template: 'invitation', after: started })).text)
}

async function apiKey(allow: string) {
	const made = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'inviter', '--allow', allow, '--json'])
	expect(made.code, made.stderr).toBe(0)
	return { key: String(made.json!.key), id: String(made.json!.id) }
}

function apiInvite(key: string, body: object) {
	return foyer.client('acme').request('/api/v1/invitations', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body), origin: null })
}

/** Accepting as a new user: the account is created and signed in (302), or a page says why not. */
const accept = (token: string, slug = 'acme') => foyer.client(slug).post('/invitations/accept', { token, password: PASSWORD })

beforeAll(async () => {
	owner = await signIn('acme', foyer.admins.acme!.email, foyer.admins.acme!.password)
	operator = await signIn('operator', foyer.admins.operator!.email, foyer.admins.operator!.password)
	await addRole('Recruiter', { user: ['read'], invitation: ['read', 'create'] })
	await addRole('Publisher', { app: ['read', 'create', 'update'] })
})

describe('sending', () => {
	it('a custom role that may invite offers, sends and resends only roles granting no more than its own', async () => {
		const recruiter = await userWithRole('recruiter@acme.example', 'Recruiter')
		const page = await expectStatus(await recruiter.client.request('/admin/invitations'), 200)
		expect(page).toContain('<option value="member"')
		expect(page).toContain('<option value="Recruiter"')
		for (const role of ['admin', 'owner', 'Publisher']) expect(page, role).not.toContain(`<option value="${role}"`)

		for (const role of ['admin', 'Publisher']) {
			const html = await expectStatus(await recruiter.client.post('/admin/invitations', { intent: 'send', email: `raised-${role.toLowerCase()}@example.com`, role }), 403)
			expect(html).toContain('You can only invite to a role that grants no more than your own.')
			expect(await invitationOf(`raised-${role.toLowerCase()}@example.com`), role).toBeUndefined()
		}
		expect(await expectStatus(await recruiter.client.post('/admin/invitations', { intent: 'send', email: 'raised-owner@example.com', role: 'owner' }), 403)).toContain('Only an owner can invite an owner.')
		await invite(recruiter.client, 'plain-hire@example.com', 'member')

		// Resending an invitation to a stronger role (sent by someone who may) is refused too, and changes nothing.
		await invite(owner, 'strong-hire@example.com', 'admin')
		const before = await invitationOf('strong-hire@example.com')
		const resent = await expectStatus(await recruiter.client.post('/admin/invitations', { intent: 'resend', invitationId: before!.id }), 403)
		expect(resent).toContain('You can only invite to a role that grants no more than your own.')
		expect((await invitationOf('strong-hire@example.com'))!.tokenHash).toBe(before!.tokenHash)
	})
})

describe('accepting re-checks the sender as they are now', () => {
	it('an inviter demoted, disabled or deleted since sending raises nobody', async () => {
		const demoted = await userWithRole('demoted@acme.example', 'admin')
		const disabled = await userWithRole('disabled@acme.example', 'admin')
		const deleted = await userWithRole('deleted@acme.example', 'admin')
		const tokens = {
			demoted: await invite(demoted.client, 'via-demoted@example.com', 'admin'),
			disabled: await invite(disabled.client, 'via-disabled@example.com', 'admin'),
			deleted: await invite(deleted.client, 'via-deleted@example.com', 'admin'),
		}
		await expectStatus(await owner.post(`/admin/users/${demoted.id}`, { intent: 'change-role', role: 'Recruiter' }), 302)
		await expectStatus(await owner.post(`/admin/users/${disabled.id}`, { intent: 'disable' }), 302)
		await expectStatus(await owner.post(`/admin/users/${deleted.id}`, { intent: 'delete', confirm: 'on' }), 302)

		for (const [who, token] of Object.entries(tokens)) {
			const email = `via-${who}@example.com`
			expect(await expectStatus(await foyer.client('acme').request(`/invitations/accept?token=${token}`), 403), who).toContain('can no longer be used')
			expect(await expectStatus(await accept(token), 403), who).toContain('can no longer be used')
			expect(await userRole(email), who).toBeUndefined()
			expect((await invitationOf(email))!.acceptedAt, who).toBeNull()
		}

		// What the demoted inviter may still give goes through.
		const member = await invite(demoted.client, 'via-demoted-member@example.com', 'member')
		expect((await accept(member)).status).toBe(302)
		expect(await userRole('via-demoted-member@example.com')).toBe('member')
	})

	it('an owner who resends takes the invitation over: its link then works', async () => {
		const sender = await userWithRole('sender@acme.example', 'admin')
		await invite(sender.client, 'taken-over@example.com', 'admin')
		await foyer.sql(`UPDATE "User" SET role = 'member' WHERE id = $1`, [sender.id])
		const started = new Date(Date.now() - 1000)
		await expectStatus(await owner.post('/admin/invitations', { intent: 'resend', invitationId: (await invitationOf('taken-over@example.com'))!.id }), 200)
		const token = tokenFrom((await latestOutboxEmail(foyer, 'taken-over@example.com', { template: 'invitation', after: started })).text)
		expect((await accept(token)).status).toBe(302)
		expect(await userRole('taken-over@example.com')).toBe('admin')
	})

	it('an invitation sent by an API key is checked against that key: revoked, it raises nobody', async () => {
		const key = await apiKey('invitation:create,invitation:read,user:read,user:create,user:update,user:delete,team:read,team:create,team:update,team:delete,invitation:delete,settings:read,settings:update,branding:read,branding:update,app:read,app:create,app:update,app:delete,audit:read,audit:export,apiKey:read,apiKey:create,apiKey:delete,role:read')
		for (const email of ['key-kept@example.com', 'key-revoked@example.com']) {
			const started = new Date(Date.now() - 1000)
			expect((await apiInvite(key.key, { email, role: 'admin' })).status).toBe(201)
			await latestOutboxEmail(foyer, email, { template: 'invitation', after: started })
		}
		const kept = tokenFrom((await latestOutboxEmail(foyer, 'key-kept@example.com', { template: 'invitation' })).text)
		const revoked = tokenFrom((await latestOutboxEmail(foyer, 'key-revoked@example.com', { template: 'invitation' })).text)
		expect((await accept(kept)).status).toBe(302)
		expect(await userRole('key-kept@example.com')).toBe('admin')

		expect((await foyer.cli(['api-keys', 'revoke', '--org', 'acme', '--id', key.id])).code).toBe(0)
		expect(await expectStatus(await accept(revoked), 403)).toContain('can no longer be used')
		expect(await userRole('key-revoked@example.com')).toBeUndefined()
	})

	it('a key holds no owner rights its creator lacks: a key of a role holding every statement but not owner cannot invite an owner, and once its creator is demoted its invitations raise nobody', async () => {
		const allButOrg = Object.entries(STATEMENTS).filter(([resource]) => resource !== 'org')
		const everything = allButOrg.flatMap(([resource, actions]) => actions.map((action) => `${resource}:${action}`))
		await addRole('Deputy', Object.fromEntries(allButOrg))
		const deputy = await userWithRole('deputy@example.com', 'Deputy')
		const body = new URLSearchParams({ intent: 'create', name: 'deputy key', expiresIn: '30' })
		for (const statement of everything) body.append('statements', statement)
		const created = await deputy.client.post('/admin/api-keys', body)
		const key = /data-testid="created-key-value"[^>]*>([^<]+)</.exec(await expectStatus(created, 201))![1]!

		const asOwner = await apiInvite(key, { email: 'deputy-owner@example.com', role: 'owner' })
		expect(asOwner.status).toBe(403)
		expect(await invitationOf('deputy-owner@example.com')).toBeUndefined()

		const started = new Date(Date.now() - 1000)
		expect((await apiInvite(key, { email: 'deputy-admin@example.com', role: 'admin' })).status).toBe(201)
		const token = tokenFrom((await latestOutboxEmail(foyer, 'deputy-admin@example.com', { template: 'invitation', after: started })).text)
		await foyer.sql(`UPDATE "User" SET role = 'member' WHERE id = $1`, [deputy.id])
		expect(await expectStatus(await accept(token), 403)).toContain('can no longer be used')
		expect(await userRole('deputy-admin@example.com')).toBeUndefined()
	})

	it("the operator's onboarding invitation makes the new org's first owner; a disabled operator's raises nobody", async () => {
		const started = new Date(Date.now() - 1000)
		await expectStatus(await operator.post('/operator/orgs', { name: 'Hooli', slug: 'hooli', brandColor: '#0055aa', adminEmail: 'gavin@hooli.example' }), 201)
		const token = tokenFrom((await latestOutboxEmail(foyer, 'gavin@hooli.example', { template: 'invitation', org: 'hooli', after: started })).text)
		expect((await accept(token, 'hooli')).status).toBe(302)
		expect(await userRole('gavin@hooli.example')).toBe('owner')

		// A second operator onboards an org, then is disabled before the invitation is used.
		const made = await foyer.cli(['users', 'create', '--org', 'operator', '--email', 'ops2@operator.example', '--admin', '--json'])
		const ops2 = await signIn('operator', 'ops2@operator.example', String(made.json!.password))
		await expectStatus(await ops2.post('/operator/orgs', { name: 'Pied Piper', slug: 'piedpiper', brandColor: '#15803d', adminEmail: 'richard@piedpiper.example' }), 201)
		const stale = tokenFrom((await latestOutboxEmail(foyer, 'richard@piedpiper.example', { template: 'invitation', org: 'piedpiper' })).text)
		await foyer.sql(`UPDATE "User" SET "disabledAt" = now() WHERE email = 'ops2@operator.example'`)
		expect(await expectStatus(await accept(stale, 'piedpiper'), 403)).toContain('can no longer be used')
		expect(await userRole('richard@piedpiper.example')).toBeUndefined()
	})

	it('an invitation that names no sender raises nobody', async () => {
		const token = await invite(owner, 'orphan@example.com', 'admin')
		await foyer.sql(`UPDATE "Invitation" SET "invitedById" = NULL WHERE email = 'orphan@example.com'`)
		expect(await expectStatus(await accept(token), 403)).toContain('can no longer be used')
		expect(await userRole('orphan@example.com')).toBeUndefined()
	})
})
