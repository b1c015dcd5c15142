import { beforeAll, describe, expect, it } from 'vitest'
import { latestOutboxEmail, PASSWORD } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * An invitation raises only an account its invitee proved is theirs. An account whose address was
 * never verified proves nothing (anyone may sign up any address), so it is unclaimed: accepting
 * wipes what the squatter set up (password, second factors, sessions, app grants, pending links)
 * and the invitee takes it as a new user would. An account with a verified address accepts only
 * while signed in as itself.
 */
const foyer = foyerPerFile()
let owner: Client

const SQUATTER_PASSWORD = 'squatter pelican umbrella 19'
type Response = Awaited<ReturnType<Client['request']>>

async function expectStatus(response: Response, status: number) {
	const html = (await response.text()).replaceAll('<!-- -->', '')
	expect(response.status, html.slice(0, 400)).toBe(status)
	return html
}

async function signIn(email: string, password: string, client = foyer.client('acme'), redirectTo?: string) {
	const response = await client.post('/login', { email, password, ...(redirectTo ? { redirectTo } : {}) })
	expect(response.status, `${email} signs in`).toBe(302)
	return { client, location: response.headers.get('location') }
}

function tokenFrom(text: string) {
	const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(text)
	if (!match) throw new Error(`no invitation link in:\n${text}`)
	return match[1]!
}

async function invite(email: string, role: string) {
	const started = new Date(Date.now() - 1000)
	await expectStatus(await owner.post('/admin/invitations', { intent: 'send', email, role }), 201)
	return tokenFrom((await latestOutboxEmail(foyer, email, { template: 'invitation', after: started })).text)
}

const userOf = async (email: string) =>
	(await foyer.sql<{ id: string; role: string; emailVerified: boolean; name: string | null }>(`SELECT id, role, "emailVerified", name FROM "User" WHERE email = $1`, [email]))[0]

const count = async (sql: string, values: unknown[]) => (await foyer.sql<{ n: number }>(sql, values))[0]!.n

beforeAll(async () => {
	owner = (await signIn(foyer.admins.acme!.email, foyer.admins.acme!.password)).client
})

describe('an account whose address was never verified is unclaimed', () => {
	it('may be invited; accepting wipes the squatter and the invitee takes the account with a password of their own', async () => {
		const email = 'victim@example.com'
		// The squatter signs up the address first (never verifies it), signs in with the password, and sets things up.
		expect((await foyer.client('acme').post('/signup', { email, password: SQUATTER_PASSWORD })).status).toBe(302)
		await latestOutboxEmail(foyer, email, { template: 'verify-email' })
		const { client: squatter } = await signIn(email, SQUATTER_PASSWORD)
		expect((await squatter.request('/account')).status).toBe(200)
		const squat = (await userOf(email))!
		const [{ organizationId }] = (await foyer.sql<{ organizationId: string }>(`SELECT "organizationId" FROM "User" WHERE id = $1`, [squat.id])) as [{ organizationId: string }]
		await foyer.sql(`UPDATE "User" SET name = 'The CEO' WHERE id = $1`, [squat.id])
		await foyer.sql(`INSERT INTO "TotpFactor" ("userId", "organizationId", "secretEncrypted", "confirmedAt") VALUES ($1, $2, 'x', now())`, [squat.id, organizationId])
		await foyer.sql(
			`INSERT INTO "Passkey" (id, "organizationId", "userId", "credentialId", "publicKey", "deviceType", "rpId", name) VALUES ('squat-passkey', $2, $1, 'cred-squat', '\\x00', 'singleDevice', 'acme.localhost', 'mine now')`,
			[squat.id, organizationId],
		)
		await foyer.sql(`INSERT INTO "PhoneFactor" ("userId", "organizationId", "phoneNumber", "verifiedAt", "updatedAt") VALUES ($1, $2, '+14155550123', now(), now())`, [squat.id, organizationId])
		await foyer.sql(`INSERT INTO "BackupCode" (id, "userId", "organizationId", "codeHash") VALUES ('squat-code', $1, $2, 'h')`, [squat.id, organizationId])
		await foyer.sql(
			`INSERT INTO "OidcPayload" (id, model, "organizationId", payload, "grantId") VALUES ('squat-grant', 'Grant', $2, jsonb_build_object('accountId', $1::text), NULL), ('squat-token', 'AccessToken', $2, jsonb_build_object('accountId', $1::text), 'squat-grant')`,
			[squat.id, organizationId],
		)
		await foyer.sql(`INSERT INTO "Verification" (id, "organizationId", type, target, "userId", "tokenHash", "expiresAt") VALUES ('squat-change', $2, 'change-email', 'elsewhere@example.com', $1, 'squat-change-hash', now() + interval '30 minutes')`, [squat.id, organizationId])

		const token = await invite(email, 'admin')
		const page = await expectStatus(await foyer.client('acme').request(`/invitations/accept?token=${token}`), 200)
		expect(page).toContain('name="password"')
		expect(page).toContain('Create account')
		expect((await userOf(email))!.role).toBe('member')

		const invitee = foyer.client('acme')
		const accepted = await invitee.post('/invitations/accept', { token, password: PASSWORD })
		expect(accepted.status, await accepted.clone().text()).toBe(302)
		expect(accepted.headers.get('location')).toBe('/account')
		expect((await invitee.request('/account')).status).toBe(200)

		// The same account, now the invitee's: verified, the invited role, nothing of the squatter's left.
		expect(await userOf(email)).toEqual({ id: squat.id, role: 'admin', emailVerified: true, name: null })
		expect((await squatter.request('/account')).status).toBe(302)
		expect((await foyer.client('acme').post('/login', { email, password: SQUATTER_PASSWORD })).status).toBe(400)
		for (const table of ['TotpFactor', 'Passkey', 'PhoneFactor', 'BackupCode']) expect(await count(`SELECT count(*)::int AS n FROM "${table}" WHERE "userId" = $1`, [squat.id]), table).toBe(0)
		expect(await count(`SELECT count(*)::int AS n FROM "OidcPayload" WHERE id IN ('squat-grant', 'squat-token')`, [])).toBe(0)
		expect(await count(`SELECT count(*)::int AS n FROM "Verification" WHERE "userId" = $1 AND "consumedAt" IS NULL`, [squat.id])).toBe(0)
		expect(await count(`SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1 AND "revokedAt" IS NULL`, [squat.id])).toBe(1)
		const [event] = await foyer.sql<{ data: Record<string, unknown> }>(`SELECT data FROM "AuditEvent" WHERE type = 'user.unverified_account_claimed' AND "targetId" = $1`, [squat.id])
		expect(event!.data).toMatchObject({ email, from: 'member', to: 'admin', password: true, totp: 1, passkeys: 1, phone: 1, backupCodes: 1, sessions: 1, grants: 1 })
		expect((await foyer.cli(['audit', 'verify', '--org', 'acme'])).code).toBe(0)

		// The invitee signs in with the password they chose.
		await signIn(email, PASSWORD)
	})
})

describe('an account with a verified address must be signed in to accept', () => {
	/** An invitation, then an account whose owner verified the address meanwhile. */
	async function verifiedInvitee(email: string, role: string) {
		const token = await invite(email, role)
		const made = await foyer.cli(['users', 'create', '--org', 'acme', '--email', email, '--json'])
		expect(made.code, made.stderr).toBe(0)
		await foyer.sql(`UPDATE "User" SET "emailVerified" = true WHERE email = $1`, [email])
		return { token, password: String(made.json!.password) }
	}

	it('anonymous: the page says to sign in as that address and comes back; accepting without it changes nothing', async () => {
		const email = 'verified@example.com'
		const { token, password } = await verifiedInvitee(email, 'admin')
		const acceptPath = `/invitations/accept?token=${token}`
		const page = await expectStatus(await foyer.client('acme').request(acceptPath), 200)
		expect(page).toContain(`Sign in as ${email}`)
		expect(page).toContain(`href="/login?${new URLSearchParams({ redirectTo: acceptPath }).toString().replaceAll('&', '&amp;')}"`)
		expect(page).not.toContain('Accept invitation')

		const refused = await expectStatus(await foyer.client('acme').post('/invitations/accept', { token }), 403)
		expect(refused).toContain(`Sign in as ${email}`)
		expect((await userOf(email))!.role).toBe('member')

		// Signing in there comes back to the invitation, which is then accepted by its own account.
		const { client, location } = await signIn(email, password, foyer.client('acme'), acceptPath)
		expect(location).toBe(acceptPath)
		expect(await expectStatus(await client.request(acceptPath), 200)).toContain('Accept invitation')
		const accepted = await client.post('/invitations/accept', { token })
		expect(accepted.status).toBe(302)
		expect((await userOf(email))!.role).toBe('admin')
		const [event] = await foyer.sql<{ actorId: string; data: Record<string, unknown> }>(`SELECT "actorId", data FROM "AuditEvent" WHERE type = 'invitation.accepted' AND data->>'email' = $1`, [email])
		expect(event).toMatchObject({ actorId: (await userOf(email))!.id, data: { newUser: false, roleApplied: true } })
	})

	it('signed in as someone else: refused with a clear message, nothing changes', async () => {
		const email = 'other-browser@example.com'
		const { token } = await verifiedInvitee(email, 'admin')
		const page = await expectStatus(await owner.request(`/invitations/accept?token=${token}`), 200)
		expect(page).toContain(`You are signed in as ${foyer.admins.acme!.email}`)
		expect(page).not.toContain('Accept invitation')
		const refused = await expectStatus(await owner.post('/invitations/accept', { token }), 403)
		expect(refused).toContain(`You are signed in as ${foyer.admins.acme!.email}`)
		expect((await userOf(email))!.role).toBe('member')
		expect((await foyer.sql<{ acceptedAt: Date | null }>(`SELECT "acceptedAt" FROM "Invitation" WHERE email = $1`, [email]))[0]!.acceptedAt).toBeNull()
	})

	it('inviting an address whose account is verified is still refused (409)', async () => {
		const made = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'known@example.com', '--json'])
		expect(made.code).toBe(0)
		await foyer.sql(`UPDATE "User" SET "emailVerified" = true WHERE email = 'known@example.com'`)
		expect(await expectStatus(await owner.post('/admin/invitations', { intent: 'send', email: 'known@example.com', role: 'member' }), 409)).toContain('That address already has an account here.')
	})
})
