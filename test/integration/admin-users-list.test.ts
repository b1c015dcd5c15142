import { beforeAll, describe, expect, it } from 'vitest'
import { signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { adminUsersHelpers, expectStatus } from './admin-users.fixtures'

/**
 * /admin/users through the front door, as a browser without JavaScript: who may use it (a member
 * is refused, another org's user is not found) and the list (its columns, search, keyset paging,
 * a broken cursor or search answered with a 400). Creating and changing users, the owner rules
 * and bad input on /admin/users/:id are in admin-users-changes.test.ts.
 */
const foyer = foyerPerFile()
const { idOf, userRow, auditCount, signIn } = adminUsersHelpers(foyer)
let owner: Client
let ownerId = ''
let adminId = ''
let globexUserId = ''

/** The rows of the list page: emails in order, and the Next/Previous links. */
function listPage(html: string) {
	const emails = [...html.matchAll(/data-testid="user-row".*?href="\/admin\/users\/[^"]+">([^<]+)</gs)].map((match) => match[1]!)
	const link = (rel: string) => {
		const anchor = new RegExp(`<a [^>]*rel="${rel}"[^>]*>`).exec(html)?.[0]
		return anchor ? /href="([^"]+)"/.exec(anchor)?.[1]?.replaceAll('&amp;', '&') : undefined
	}
	return { emails, next: link('next'), previous: link('prev') }
}

beforeAll(async () => {
	owner = (await signIn(foyer.admins.acme!.email, foyer.admins.acme!.password)).client
	ownerId = (await idOf(foyer.admins.acme!.email))!
	expect((await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'admin@acme.example', '--admin', '--json'])).code).toBe(0)
	adminId = (await idOf('admin@acme.example'))!
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--color', '#15803d'])).code).toBe(0)
	expect((await foyer.cli(['users', 'create', '--org', 'globex', '--email', 'someone@globex.example', '--json'])).code).toBe(0)
	globexUserId = (await idOf('someone@globex.example', 'globex'))!
})

describe('who may use /admin/users', () => {
	it('refuses a member with 403 and changes nothing', async () => {
		const member = await signUpVerified(foyer, 'acme', 'plain-member@acme.example')
		await expectStatus(await member.request('/admin/users'), 403)
		await expectStatus(await member.request(`/admin/users/${ownerId}`), 403)
		const before = await auditCount()
		await expectStatus(await member.post('/admin/users', { email: 'sneaky@acme.example', role: 'admin' }), 403)
		await expectStatus(await member.post(`/admin/users/${adminId}`, { intent: 'disable' }), 403)
		expect(await idOf('sneaky@acme.example')).toBeUndefined()
		expect((await userRow(adminId))!.disabledAt).toBeNull()
		expect(await auditCount()).toBe(before)
	})

	it('answers 404 for another org’s user, for reading and for every intent', async () => {
		const html = await expectStatus(await owner.request(`/admin/users/${globexUserId}`), 404)
		expect(html).not.toContain('someone@globex.example')
		for (const intent of ['disable', 'force-password-reset', 'revoke-sessions', 'remove-factors', 'delete']) {
			await expectStatus(await owner.post(`/admin/users/${globexUserId}`, { intent, confirm: 'on' }), 404)
		}
		await expectStatus(await owner.post(`/admin/users/${globexUserId}`, { intent: 'change-role', role: 'admin' }), 404)
		const row = await userRow(globexUserId)
		expect(row).toEqual({ role: 'member', disabledAt: null })
	})
})

describe('the list', () => {
	beforeAll(async () => {
		// 120 users straight into the table: paging is the subject, not sign-up.
		await foyer.sql(`
			INSERT INTO "User" (id, "organizationId", email, role, "updatedAt")
			SELECT 'bulk' || lpad(g::text, 3, '0'), o.id, 'bulk-' || lpad(g::text, 3, '0') || '@paging.example', 'member', now()
			FROM generate_series(1, 120) g, "Organization" o WHERE o.slug = 'acme'`)
	})

	it('shows email, role, status, MFA, created and last sign-in', async () => {
		const html = await expectStatus(await owner.request(`/admin/users?q=${encodeURIComponent(foyer.admins.acme!.email)}`), 200)
		const row = /data-testid="user-row".*?<\/tr>/s.exec(html)?.[0] ?? ''
		expect(row).toContain(foyer.admins.acme!.email)
		const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((match) => match[1]!.replace(/<[^>]+>/g, ''))
		expect(cells.slice(1, 4)).toEqual(['owner', 'active', 'no'])
		expect(cells[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/)
		expect(cells[5]).toMatch(/^\d{4}-\d{2}-\d{2}$/)
		for (const heading of ['Email', 'Role', 'Status', 'MFA', 'Created', 'Last sign-in']) expect(html).toContain(`>${heading}</th>`)
	})

	it('links to invitations for those who may invite, and not for a role that only reads users', async () => {
		const html = await expectStatus(await owner.request('/admin/users'), 200)
		expect(html).toMatch(/<a [^>]*href="\/admin\/invitations"[^>]*>Invite someone by email<\/a>/)
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'userreader1', id, 'User reader', '{"user":["read"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		const reader = await signUpVerified(foyer, 'acme', 'reader@acme.example')
		await foyer.sql(`UPDATE "User" SET role = 'User reader' WHERE email = 'reader@acme.example'`)
		expect(await expectStatus(await reader.request('/admin/users'), 200)).not.toContain('Invite someone by email')
	})

	it('pages 50 at a time in email order, forwards and back, with an opaque cursor', async () => {
		const first = listPage(await expectStatus(await owner.request('/admin/users?q=bulk-'), 200))
		expect(first.emails).toHaveLength(50)
		expect(first.previous).toBeUndefined()
		expect(first.next).toMatch(/^\/admin\/users\?q=bulk-&cursor=[A-Za-z0-9_-]+$/)
		expect(first.next).not.toContain('bulk-050')
		const second = listPage(await expectStatus(await owner.request(first.next!), 200))
		const third = listPage(await expectStatus(await owner.request(second.next!), 200))
		expect(second.emails).toHaveLength(50)
		expect(third.emails).toHaveLength(20)
		expect(third.next).toBeUndefined()
		const all = [...first.emails, ...second.emails, ...third.emails]
		expect(all).toEqual(Array.from({ length: 120 }, (_, i) => `bulk-${String(i + 1).padStart(3, '0')}@paging.example`))
		const back = listPage(await expectStatus(await owner.request(third.previous!), 200))
		expect(back.emails).toEqual(second.emails)
		const backAgain = listPage(await expectStatus(await owner.request(back.previous!), 200))
		expect(backAgain.emails).toEqual(first.emails)
		expect(backAgain.previous).toBeUndefined()
	})

	it('pages the whole org too, without a search', async () => {
		const first = listPage(await expectStatus(await owner.request('/admin/users'), 200))
		expect(first.emails).toHaveLength(50)
		expect([...first.emails].sort()).toEqual(first.emails)
		expect(first.next).toBeTruthy()
	})

	it('searches by the start of the email, in any case, with wildcards taken literally', async () => {
		const tens = listPage(await expectStatus(await owner.request('/admin/users?q=BULK-01'), 200))
		expect(tens.emails).toEqual(Array.from({ length: 10 }, (_, i) => `bulk-01${i}@paging.example`))
		expect(tens.next).toBeUndefined()
		expect(listPage(await expectStatus(await owner.request('/admin/users?q=bulk%25'), 200)).emails).toEqual([])
		expect(listPage(await expectStatus(await owner.request('/admin/users?q=bulk_'), 200)).emails).toEqual([])
		expect(listPage(await expectStatus(await owner.request('/admin/users?q=%20Admin%40ACME.E'), 200)).emails).toEqual(['admin@acme.example'])
		// Users of another org never appear.
		expect(listPage(await expectStatus(await owner.request('/admin/users?q=someone'), 200)).emails).toEqual([])
	})

	it('a prefix search is a range scan of the (organizationId, email) index, not a filter', async () => {
		const plan = await foyer.sql<{ 'QUERY PLAN': string }>(
			`EXPLAIN SELECT u.id FROM "User" u WHERE u."organizationId" = (SELECT id FROM "Organization" WHERE slug = 'acme') AND u.email LIKE 'bulk-01%' AND u.email > 'bulk-012@' ORDER BY u.email LIMIT 51`,
		)
		const text = plan.map((row) => row['QUERY PLAN']).join('\n')
		expect(text).toContain('User_organizationId_email_key')
		expect(text).toMatch(/Index Cond: .*email >= 'bulk-01'::text/)
	})

	it('answers 400, not 500, to a broken cursor or search', async () => {
		const forged = Buffer.from(JSON.stringify({ d: 'x', e: 1 })).toString('base64url')
		for (const query of ['cursor=garbage!', 'cursor=%00', `cursor=${forged}`, `cursor=${'A'.repeat(5000)}`, `q=${'a'.repeat(300)}`, 'q=%00']) {
			const html = await expectStatus(await owner.request(`/admin/users?${query}`), 400)
			expect(html).toContain('role="alert"')
		}
	})
})
