import crypto from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * /admin/invitations and the hosted /invitations/accept page: send → email in the dev outbox →
 * accept as a new user (signed in, role applied, verified) or, signed in, as someone who verified
 * their address meanwhile (unverified accounts and who may accept: invitations-claim.test.ts);
 * expired, used, revoked, resent-away and other orgs' tokens refused with a readable page; GET
 * never uses a token; every change audited.
 */
const foyer = foyerPerFile()
let owner: Client
let admin: Client

type Response = Awaited<ReturnType<Client['request']>>

async function signIn(slug: string, credentials: { email: string; password: string }) {
	const client = foyer.client(slug)
	const login = await client.post('/login', credentials)
	expect(login.status, `${credentials.email} signs in`).toBe(302)
	return client
}

const auditEvents = (type: string, slug = 'acme') =>
	foyer.sql<{ data: Record<string, unknown>; targetId: string; actorId: string | null }>(
		`SELECT e.data, e."targetId", e."actorId" FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $2 AND e.type = $1 ORDER BY e.seq`,
		[type, slug],
	)

const invitation = async (email: string) =>
	(await foyer.sql<{ id: string; role: string; tokenHash: string; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null }>(`SELECT * FROM "Invitation" WHERE email = $1 ORDER BY "createdAt" DESC LIMIT 1`, [email]))[0]!

const userRow = async (email: string, slug = 'acme') =>
	(await foyer.sql<{ id: string; role: string; emailVerified: boolean }>(`SELECT u.id, u.role, u."emailVerified" FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE u.email = $1 AND o.slug = $2`, [email, slug]))[0]

function tokenFrom(text: string) {
	const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(text)
	if (!match) throw new Error(`no invitation link in:\n${text}`)
	return match[1]!
}

/** Sends an invitation through the console and returns the link's token from the dev outbox. */
async function invite(client: Client, email: string, role: string, slug = 'acme') {
	const started = new Date(Date.now() - 1000)
	const response = await client.post('/admin/invitations', { intent: 'send', email, role })
	const html = await response.text()
	expect(response.status, html.slice(0, 300)).toBe(201)
	expect(html).toContain(`Invitation sent to ${email.toLowerCase()}`)
	const mail = await latestOutboxEmail(foyer, email.toLowerCase(), { template: 'invitation', after: started, org: slug })
	return { token: tokenFrom(mail.text), mail }
}

async function expectProblem(response: Response, status: number, title: RegExp) {
	const html = await response.text()
	expect(response.status, html.slice(0, 300)).toBe(status)
	expect(html).toMatch(title)
	expect(html).toContain('role="alert"')
}

beforeAll(async () => {
	owner = await signIn('acme', foyer.admins.acme!)
	const created = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'second@acme.example', '--admin', '--json'])
	admin = await signIn('acme', { email: 'second@acme.example', password: String(created.json!.password) })
})

describe('sending invitations', () => {
	it('mails a single-use 256-bit link, stores only its sha256, expires in 7 days, audits invitation.sent', async () => {
		const { token, mail } = await invite(admin, 'New.Hire@Example.com', 'admin')
		expect(mail.subject).toContain('Acme')
		expect(mail.text).toContain('admin')
		expect(mail.text).toMatch(/ http:\/\/acme\.localhost:\d+\/invitations\/accept\?token=/)
		expect(Buffer.from(token, 'base64url')).toHaveLength(32)
		const row = await invitation('new.hire@example.com')
		expect(row.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'))
		expect(row.role).toBe('admin')
		expect(Math.abs(new Date(row.expiresAt).getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(120_000)
		expect(await foyer.sql(`SELECT count(*)::int AS n FROM "Invitation" WHERE "tokenHash" = $1 OR "tokenHash" = $2`, [token, row.tokenHash])).toEqual([{ n: 1 }])
		expect(await auditEvents('invitation.sent')).toEqual([expect.objectContaining({ targetId: row.id, data: expect.objectContaining({ email: 'new.hire@example.com', role: 'admin' }) })])
		const list = await (await admin.request('/admin/invitations')).text()
		expect(list).toContain('new.hire@example.com')
		expect(list).toContain('Pending')
	})

	it('refuses an address that already has a user here (409), an unknown role and bad emails (400)', async () => {
		// A claimed account: its address was verified (an unverified one may be invited, see invitations-claim.test.ts).
		await foyer.sql(`UPDATE "User" SET "emailVerified" = true WHERE email = 'second@acme.example'`)
		const taken = await admin.post('/admin/invitations', { intent: 'send', email: 'second@acme.example', role: 'member' })
		expect(taken.status).toBe(409)
		expect(await taken.text()).toContain('That address already has an account here.')
		const role = await admin.post('/admin/invitations', { intent: 'send', email: 'someone@example.com', role: 'wizard' })
		expect(role.status).toBe(400)
		expect(await role.text()).toContain('No such role in this organization.')
		const email = await admin.post('/admin/invitations', { intent: 'send', email: 'nope', role: 'member' })
		expect(email.status).toBe(400)
		expect(await email.text()).toContain('Enter a valid email address')
		expect((await admin.post('/admin/invitations', { intent: 'send' })).status).toBe(400)
		expect((await admin.post('/admin/invitations', { intent: 'fly' })).status).toBe(400)
		expect((await admin.request('/admin/invitations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"intent":"send"}' })).status).toBe(415)
		expect(await foyer.sql(`SELECT count(*)::int AS n FROM "Invitation" WHERE email IN ('someone@example.com', 'nope', 'second@acme.example')`)).toEqual([{ n: 0 }])
	})

	it('lets only an owner invite an owner', async () => {
		const response = await admin.post('/admin/invitations', { intent: 'send', email: 'boss@example.com', role: 'owner' })
		expect(response.status).toBe(403)
		expect(await response.text()).toContain('Only an owner can invite an owner.')
		expect(await foyer.sql(`SELECT count(*)::int AS n FROM "Invitation" WHERE email = 'boss@example.com'`)).toEqual([{ n: 0 }])
		expect(await (await admin.request('/admin/invitations')).text()).not.toContain('<option value="owner"')
		await invite(owner, 'boss@example.com', 'owner')
	})

	it('sends one address at most 5 invitation emails an hour (sends and resends alike): then 429, nothing written or sent', async () => {
		const email = 'flooded@example.com'
		for (let i = 0; i < 4; i++) await invite(admin, email, 'member')
		const row = await invitation(email)
		const resending = new Date(Date.now() - 1000)
		expect((await admin.post('/admin/invitations', { intent: 'resend', invitationId: row.id })).status).toBe(200)
		await latestOutboxEmail(foyer, email, { template: 'invitation', after: resending })
		const before = await foyer.sql(`SELECT id, "tokenHash", "revokedAt" FROM "Invitation" WHERE email = $1 ORDER BY id`, [email])
		const mails = async () => (await foyer.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxEmail" WHERE "to" = $1`, [email]))[0]!.n
		const mailed = await mails()

		const sent = await admin.post('/admin/invitations', { intent: 'send', email: 'Flooded@Example.com', role: 'member' })
		expect(sent.status).toBe(429)
		expect(Number(sent.headers.get('retry-after'))).toBeGreaterThan(3000)
		expect(await sent.text()).toContain('Too many invitations were sent lately. Try again in 60 minutes.')
		const resent = await owner.post('/admin/invitations', { intent: 'resend', invitationId: row.id })
		expect(resent.status).toBe(429)
		expect(await resent.text()).toContain('Too many invitations were sent lately.')

		expect(await foyer.sql(`SELECT id, "tokenHash", "revokedAt" FROM "Invitation" WHERE email = $1 ORDER BY id`, [email])).toEqual(before)
		expect(await mails()).toBe(mailed)
		await invite(admin, 'someone-else@example.com', 'member')
	})

	it('gives members no access', async () => {
		const member = await signUpVerified(foyer, 'acme', 'plain@acme.example')
		expect((await member.request('/admin/invitations')).status).toBe(403)
		expect((await member.post('/admin/invitations', { intent: 'send', email: 'x@example.com', role: 'member' })).status).toBe(403)
	})
})

describe('accepting an invitation', () => {
	it('GET shows the invitation and uses nothing; a weak password is refused; then the account is created and signed in', async () => {
		const { token } = await invite(admin, 'fresh@example.com', 'admin')
		const browser = foyer.client('acme')
		const page = await browser.request(`/invitations/accept?token=${token}`)
		const html = await page.text()
		expect(page.status).toBe(200)
		expect(page.headers.get('cache-control')).toBe('no-store')
		expect(html).toContain('fresh@example.com')
		expect(html).toMatch(/<label[^>]*>Password<\/label>/)
		expect(html).toContain('Create account')
		expect((await invitation('fresh@example.com')).acceptedAt).toBeNull()

		const weak = await browser.post(`/invitations/accept?token=${token}`, { token, password: 'short' })
		expect(weak.status).toBe(400)
		expect(await weak.text()).toMatch(/id="[^"]+-error"/)
		expect(await userRow('fresh@example.com')).toBeUndefined()
		expect((await invitation('fresh@example.com')).acceptedAt).toBeNull()

		const accepted = await browser.post(`/invitations/accept?token=${token}`, { token, password: PASSWORD })
		expect(accepted.status, await accepted.clone().text()).toBe(302)
		expect(accepted.headers.get('location')).toBe('/account')
		expect((await browser.request('/account')).status).toBe(200)
		expect((await browser.request('/admin/invitations')).status).toBe(200)
		const user = await userRow('fresh@example.com')
		expect(user).toMatchObject({ role: 'admin', emailVerified: true })
		const row = await invitation('fresh@example.com')
		expect(row.acceptedAt).not.toBeNull()
		expect(await auditEvents('invitation.accepted')).toEqual([expect.objectContaining({ targetId: row.id, actorId: user!.id, data: expect.objectContaining({ newUser: true, role: 'admin' }) })])
		expect(await auditEvents('user.signed_in')).toContainEqual(expect.objectContaining({ actorId: user!.id }))

		// Single use: the same link again, by GET or POST, is refused with a clear page.
		await expectProblem(await foyer.client('acme').request(`/invitations/accept?token=${token}`), 410, /already used/)
		await expectProblem(await foyer.client('acme').post('/invitations/accept', { token, password: PASSWORD }), 410, /already used/)
		expect(await foyer.sql(`SELECT count(*)::int AS n FROM "User" WHERE email = 'fresh@example.com'`)).toEqual([{ n: 1 }])
		expect(await (await admin.request('/admin/invitations')).text()).toContain('Accepted')
	})

	it('gives a custom role to a new user', async () => {
		expect((await owner.post('/admin/roles/new', new URLSearchParams([['intent', 'save'], ['name', 'Auditor'], ['statements', 'audit:read']]))).status).toBe(302)
		const { token } = await invite(admin, 'auditor@example.com', 'Auditor')
		const browser = foyer.client('acme')
		expect((await browser.post('/invitations/accept', { token, password: PASSWORD })).status).toBe(302)
		expect((await userRow('auditor@example.com'))!.role).toBe('Auditor')
		expect((await browser.request('/admin/apps')).status).toBe(403)
	})

	/** Signed up before the invitation came, and verifies the address (by the code from its email) after it did. */
	async function signedUpThenVerified(email: string, inviter: Client, role: string) {
		const browser = foyer.client('acme')
		const started = new Date(Date.now() - 1000)
		expect((await browser.post('/signup', { email, password: PASSWORD })).status).toBe(302)
		const verifyMail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: started })
		const { token } = await invite(inviter, email, role)
		expect((await browser.post('/verify', { intent: 'code', type: 'verify-email', target: email, code: codeFrom(verifyMail.text) })).status).toBe(302)
		expect(await userRow(email)).toMatchObject({ emailVerified: true })
		return { token, browser }
	}

	it('for someone who verified their address meanwhile: accepted signed in as them, the role is raised', async () => {
		const { token, browser } = await signedUpThenVerified('meanwhile@example.com', admin, 'admin')
		expect((await userRow('meanwhile@example.com'))!.role).toBe('member')
		const page = await (await browser.request(`/invitations/accept?token=${token}`)).text()
		expect(page).toContain('Accept invitation')
		expect(page).not.toContain('name="password"')
		const accepted = await browser.post('/invitations/accept', { token })
		expect(accepted.status).toBe(302)
		expect(accepted.headers.get('location')).toBe('/account')
		expect((await userRow('meanwhile@example.com'))!.role).toBe('admin')
		expect((await auditEvents('invitation.accepted')).at(-1)!.data).toMatchObject({ newUser: false, roleApplied: true })
		expect((await browser.request('/admin/invitations')).status).toBe(200)
		const signedIn = await signIn('acme', { email: 'meanwhile@example.com', password: PASSWORD })
		expect((await signedIn.request('/admin/invitations')).status).toBe(200)
	})

	it('never lowers an existing role', async () => {
		const { token, browser } = await signedUpThenVerified('keeper@example.com', owner, 'member')
		await foyer.sql(`UPDATE "User" SET role = 'admin' WHERE email = 'keeper@example.com'`)
		expect((await browser.post('/invitations/accept', { token })).status).toBe(302)
		expect((await userRow('keeper@example.com'))!.role).toBe('admin')
		expect((await auditEvents('invitation.accepted')).at(-1)!.data).toMatchObject({ newUser: false, roleApplied: false })
	})

	it('refuses an expired link (410) and never creates the user', async () => {
		const { token } = await invite(admin, 'late@example.com', 'member')
		await foyer.sql(`UPDATE "Invitation" SET "expiresAt" = now() - interval '1 minute' WHERE email = 'late@example.com'`)
		await expectProblem(await foyer.client('acme').request(`/invitations/accept?token=${token}`), 410, /expired/)
		await expectProblem(await foyer.client('acme').post('/invitations/accept', { token, password: PASSWORD }), 410, /expired/)
		expect(await userRow('late@example.com')).toBeUndefined()
		expect(await (await admin.request('/admin/invitations')).text()).toContain('Expired')
	})

	it('resend: a new link works, the old one dies, invitation.resent', async () => {
		const { token: old } = await invite(admin, 'again@example.com', 'member')
		const row = await invitation('again@example.com')
		const started = new Date(Date.now() - 1000)
		const resent = await admin.post('/admin/invitations', { intent: 'resend', invitationId: row.id })
		expect(resent.status).toBe(200)
		expect(await resent.text()).toContain('The old one no longer works')
		const fresh = tokenFrom((await latestOutboxEmail(foyer, 'again@example.com', { template: 'invitation', after: started })).text)
		expect(fresh).not.toBe(old)
		await expectProblem(await foyer.client('acme').post('/invitations/accept', { token: old, password: PASSWORD }), 400, /not valid/)
		expect((await auditEvents('invitation.resent')).filter((event) => event.targetId === row.id)).toEqual([expect.objectContaining({ targetId: row.id })])
		expect((await foyer.client('acme').post('/invitations/accept', { token: fresh, password: PASSWORD })).status).toBe(302)
	})

	it('revoke: the link stops working, invitation.revoked; only invitation:delete may revoke', async () => {
		const { token } = await invite(admin, 'withdrawn@example.com', 'member')
		const row = await invitation('withdrawn@example.com')
		const member = await signIn('acme', { email: 'plain@acme.example', password: PASSWORD })
		expect((await member.post('/admin/invitations', { intent: 'revoke', invitationId: row.id })).status).toBe(403)
		const revoked = await admin.post('/admin/invitations', { intent: 'revoke', invitationId: row.id })
		expect(revoked.status).toBe(200)
		expect((await invitation('withdrawn@example.com')).revokedAt).not.toBeNull()
		expect(await auditEvents('invitation.revoked')).toEqual([expect.objectContaining({ targetId: row.id })])
		await expectProblem(await foyer.client('acme').request(`/invitations/accept?token=${token}`), 410, /withdrawn/)
		await expectProblem(await foyer.client('acme').post('/invitations/accept', { token, password: PASSWORD }), 410, /withdrawn/)
		expect(await userRow('withdrawn@example.com')).toBeUndefined()
		// A revoked invitation cannot be resent; an unknown id is a 404.
		expect((await admin.post('/admin/invitations', { intent: 'resend', invitationId: row.id })).status).toBe(409)
		expect((await admin.post('/admin/invitations', { intent: 'revoke', invitationId: 'nope' })).status).toBe(404)
	})

	it("refuses another org's token on this host, and garbage, with 4xx", async () => {
		expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--color', '#15803d'])).code).toBe(0)
		const globexAdmin = await foyer.cli(['users', 'create', '--org', 'globex', '--email', 'boss@globex.example', '--admin', '--json'])
		const globex = await signIn('globex', { email: 'boss@globex.example', password: String(globexAdmin.json!.password) })
		const { token } = await invite(globex, 'crossing@example.com', 'admin', 'globex')
		await expectProblem(await foyer.client('acme').request(`/invitations/accept?token=${token}`), 400, /not valid/)
		await expectProblem(await foyer.client('acme').post('/invitations/accept', { token, password: PASSWORD }), 400, /not valid/)
		expect(await userRow('crossing@example.com', 'acme')).toBeUndefined()
		// Another org's invitation id is a 404 in this console.
		const row = await invitation('crossing@example.com')
		expect((await admin.post('/admin/invitations', { intent: 'revoke', invitationId: row.id })).status).toBe(404)
		expect((await invitation('crossing@example.com')).revokedAt).toBeNull()
		// It still works where it belongs.
		expect((await foyer.client('globex').post('/invitations/accept', { token, password: PASSWORD })).status).toBe(302)

		for (const path of ['/invitations/accept', '/invitations/accept?token=', '/invitations/accept?token=abc', `/invitations/accept?token=${'A'.repeat(5000)}`, '/invitations/accept?token=%00%ff']) {
			await expectProblem(await foyer.client('acme').request(path), 400, /not valid/)
		}
		const anonymous = foyer.client('acme')
		expect((await anonymous.post('/invitations/accept', { token: 'x'.repeat(500) })).status).toBe(400)
		expect((await anonymous.post('/invitations/accept', {})).status).toBe(400)
		expect((await anonymous.request('/invitations/accept', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":"x"}' })).status).toBe(415)
	})
})

describe('signUpMode=invite', () => {
	it('keeps /signup at 404 and lets invitations in', async () => {
		expect((await foyer.cli(['orgs', 'create', '--name', 'Initech', '--slug', 'initech', '--color', '#1d4ed8'])).code).toBe(0)
		expect((await foyer.cli(['orgs', 'set', '--org', 'initech', 'signUpMode=invite'])).code).toBe(0)
		const initechAdmin = await foyer.cli(['users', 'create', '--org', 'initech', '--email', 'boss@initech.example', '--admin', '--json'])
		const boss = await signIn('initech', { email: 'boss@initech.example', password: String(initechAdmin.json!.password) })
		expect((await foyer.client('initech').request('/signup')).status).toBe(404)
		expect((await foyer.client('initech').post('/signup', { email: 'walk-in@example.com', password: PASSWORD })).status).toBe(404)
		const { token } = await invite(boss, 'invited@example.com', 'member', 'initech')
		const browser = foyer.client('initech')
		expect((await browser.post('/invitations/accept', { token, password: PASSWORD })).status).toBe(302)
		expect((await browser.request('/account')).status).toBe(200)
		expect(await userRow('invited@example.com', 'initech')).toMatchObject({ role: 'member', emailVerified: true })
		expect(await userRow('walk-in@example.com', 'initech')).toBeUndefined()
	})
})
