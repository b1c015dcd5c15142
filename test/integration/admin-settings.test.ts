import { beforeAll, describe, expect, it } from 'vitest'
import { signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * /admin/settings on an org's host: the org's own sign-in settings over the platform defaults,
 * as a browser without JavaScript. Inherited values are shown for every key the org leaves on the
 * default; saves are audited and take effect on the hosted pages; bad values and combinations
 * that would leave no way to sign in are refused with 400 and the message.
 */
const foyer = foyerPerFile()
let owner: Client

const KEYS = ['passwordSignIn', 'magicLinkSignIn', 'emailCodeSignIn', 'passkeys', 'signUpMode', 'emailVerificationRequired', 'passwordMinLength', 'mfaPolicy', 'smsSecondFactor', 'sessionIdleMinutes', 'sessionAbsoluteMinutes', 'newDeviceEmail', 'emailSenderName', 'emailSenderAddress']
const form = (values: Record<string, string> = {}) => ({ ...Object.fromEntries(KEYS.map((key) => [key, ''])), ...values })

const acmeSettings = async () => (await foyer.sql<{ settings: unknown }>(`SELECT settings FROM "Organization" WHERE slug = 'acme'`))[0]!.settings
const auditCount = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "AuditEvent"'))[0]!.n)

beforeAll(async () => {
	owner = foyer.client('acme')
	expect((await owner.post('/login', foyer.admins.acme!)).status).toBe(302)
})

describe('/admin/settings', () => {
	it('shows each setting with the value it inherits from the platform defaults', async () => {
		const defaults = await foyer.cli(['defaults', 'set', 'signUpMode=invite', 'sessionIdleMinutes=600', '--json'])
		expect(defaults.code, defaults.stderr).toBe(0)
		await expect.poll(async () => (await (await owner.request('/admin/settings')).text()).includes('Use the platform default (Invited addresses only)'), { timeout: 3000 }).toBe(true)
		const response = await owner.request('/admin/settings')
		expect(response.status).toBe(200)
		expect(response.headers.get('cache-control')).toBe('no-store')
		const html = await response.text()
		expect(html).toContain('Use the platform default (on)')
		expect(html).toContain('Use the platform default (600)')
		expect(html).toContain('Use the platform default (15)')
		expect(html).toContain("Use the platform default (the organization&#x27;s name)")
		for (const key of KEYS) expect(html, key).toContain(`name="${key}"`)
		// Every control has a label.
		for (const key of KEYS) {
			const id = new RegExp(`id="([^"]+)"[^>]*name="${key}"|name="${key}"[^>]*id="([^"]+)"`).exec(html)
			const controlId = id?.[1] ?? id?.[2]
			expect(controlId, key).toBeTruthy()
			expect(html, key).toContain(`for="${controlId}"`)
		}
		expect((await foyer.cli(['defaults', 'set', 'signUpMode=', 'sessionIdleMinutes=', '--json'])).code).toBe(0)
	})

	it('saves overrides, audits them, applies them to the sign-in page and resets them', async () => {
		expect(await (await foyer.client('acme').request('/login')).text()).toContain('Email me a sign-in link')
		const saved = await owner.post('/admin/settings', form({ magicLinkSignIn: 'off', passwordMinLength: '18', emailSenderName: 'Acme Accounts' }))
		expect(saved.status, await saved.clone().text()).toBe(302)
		expect(saved.headers.get('location')).toBe('/admin/settings?saved=1')
		expect(await acmeSettings()).toEqual({ magicLinkSignIn: false, passwordMinLength: 18, emailSenderName: 'Acme Accounts' })

		const [event] = await foyer.sql<{ actorId: string; data: { changes: Record<string, unknown> } }>(
			`SELECT e."actorId", e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = 'org.settings_changed' ORDER BY e.seq DESC LIMIT 1`,
		)
		const [ownerRow] = await foyer.sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [foyer.admins.acme!.email])
		expect(event!.actorId).toBe(ownerRow!.id)
		expect(event!.data.changes).toMatchObject({ magicLinkSignIn: { from: true, to: false }, passwordMinLength: { from: 15, to: 18 } })

		await expect.poll(async () => (await (await foyer.client('acme').request('/login')).text()).includes('Email me a sign-in link'), { timeout: 3000 }).toBe(false)
		const page = await (await owner.request('/admin/settings?saved=1')).text()
		expect(page).toContain('Settings saved')
		expect(page).toMatch(/<option value="off" selected="">Off<\/option>/)
		expect(page).toContain('value="18"')
		expect(page).toContain('value="Acme Accounts"')

		expect((await owner.post('/admin/settings', form())).status).toBe(302)
		expect(await acmeSettings()).toEqual({})
		await expect.poll(async () => (await (await foyer.client('acme').request('/login')).text()).includes('Email me a sign-in link'), { timeout: 3000 }).toBe(true)
	})

	it('keeps a value chosen explicitly even when it equals the default, so later default changes pass it by', async () => {
		const pinned = await owner.post('/admin/settings', form({ passkeys: 'on' }))
		expect(pinned.status).toBe(302)
		expect(await acmeSettings()).toEqual({ passkeys: true })
		const [event] = await foyer.sql<{ data: Record<string, unknown> }>(
			`SELECT e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = 'org.settings_changed' ORDER BY e.seq DESC LIMIT 1`,
		)
		expect(event!.data).toEqual({ changes: {}, overrides: { passkeys: true } })
		expect(await (await owner.request('/admin/settings')).text()).toMatch(/<option value="on" selected="">On<\/option>/)
		// Posting the same again records nothing more; releasing it does.
		const events = await auditCount()
		expect((await owner.post('/admin/settings', form({ passkeys: 'on' }))).status).toBe(302)
		expect(await auditCount()).toBe(events)
		expect((await owner.post('/admin/settings', form())).status).toBe(302)
		expect(await acmeSettings()).toEqual({})
		expect(await auditCount()).toBe(events + 1)
	})

	const bad: Array<[string, Record<string, string>, RegExp]> = [
		['every sign-in method off', { passwordSignIn: 'off', magicLinkSignIn: 'off', emailCodeSignIn: 'off' }, /At least one sign-in method must stay on/],
		['a short password without required MFA', { passwordMinLength: '8' }, /below 15 needs mfaPolicy=required/],
		['an idle limit over the lifetime', { sessionIdleMinutes: '100', sessionAbsoluteMinutes: '50' }, /cannot be longer than sessionAbsoluteMinutes/],
		['a number that is not one', { sessionAbsoluteMinutes: '1e5' }, /Enter a whole number from 5 to 525600/],
		['a long password minimum', { passwordMinLength: '65' }, /Enter a whole number from 8 to 64/],
		['an unknown MFA policy', { mfaPolicy: 'sometimes' }, /Choose one of: off, optional, required, required-for-admins/],
		['a bad sender address', { emailSenderAddress: 'not an address' }, /Enter a valid email address/],
		['a NUL byte', { emailSenderName: 'Ac\u0000me' }, /without control characters/],
		['a NUL byte in an address', { emailSenderAddress: 'a\u0000@acme.example' }, /Enter a valid email address/],
	]

	it.each(bad)('refuses %s with 400 and the message, writing nothing', async (_label, values, message) => {
		const [before, events] = [await acmeSettings(), await auditCount()]
		const response = await owner.post('/admin/settings', form(values))
		expect(response.status).toBe(400)
		const html = await response.text()
		expect(html).toMatch(message)
		expect(html).toMatch(/id="[^"]+-error"|role="alert"/)
		expect(await acmeSettings()).toEqual(before)
		expect(await auditCount()).toBe(events)
	})

	it('lets a role with settings: read see the form but not save it; members get 403', async () => {
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'role-settings-reader', id, 'settings-reader', '{"settings":["read"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		const reader = await signUpVerified(foyer, 'acme', 'reader@acme.example')
		await foyer.sql(`UPDATE "User" SET role = 'settings-reader' WHERE email = 'reader@acme.example'`)
		const page = await reader.request('/admin/settings')
		expect(page.status).toBe(200)
		expect(await page.text()).toContain('You can see these settings but not change them.')
		const events = await auditCount()
		expect((await reader.post('/admin/settings', form({ magicLinkSignIn: 'off' }))).status).toBe(403)
		expect(await acmeSettings()).toEqual({})
		expect(await auditCount()).toBe(events)

		const member = await signUpVerified(foyer, 'acme', 'plain@acme.example')
		expect((await member.request('/admin/settings')).status).toBe(403)
		expect((await member.post('/admin/settings', form({ magicLinkSignIn: 'off' }))).status).toBe(403)
		expect(await acmeSettings()).toEqual({})
	})
})

describe('the email sender address', () => {
	const senderDomains = async () => (await foyer.sql<{ senderDomains: string[] }>(`SELECT "senderDomains" FROM "Organization" WHERE slug = 'acme'`))[0]!.senderDomains
	const page = async () => (await owner.request('/admin/settings')).text()

	it('refuses an address on a domain the operator did not allow: 400 on the field, nothing stored', async () => {
		expect(await page()).toContain('No sender domains are allowed for Acme')
		const [before, events] = [await acmeSettings(), await auditCount()]
		const response = await owner.post('/admin/settings', form({ emailSenderAddress: 'ceo@bank.example' }))
		expect(response.status).toBe(400)
		const html = await response.text()
		expect(html).toContain('bank.example is not a sender domain allowed for this organization')
		expect(html).toMatch(/id="[^"]+-error"/)
		expect(await acmeSettings()).toEqual(before)
		expect(await auditCount()).toBe(events)
	})

	it("accepts an address on an allowed domain (that exact domain, not its subdomains) and the platform's sender", async () => {
		const allowed = await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme', 'Acme.example', '--json'])
		expect(allowed.code, allowed.stderr).toBe(0)
		expect(await senderDomains()).toEqual(['acme.example'])
		expect(await page()).toContain('addresses at acme.example')

		expect((await owner.post('/admin/settings', form({ emailSenderAddress: 'Support@Acme.example' }))).status).toBe(302)
		expect(await acmeSettings()).toEqual({ emailSenderAddress: 'support@acme.example' })
		const sub = await owner.post('/admin/settings', form({ emailSenderAddress: 'news@mail.acme.example' }))
		expect(sub.status).toBe(400)
		expect(await sub.text()).toContain('mail.acme.example is not a sender domain allowed')

		expect((await foyer.cli(['defaults', 'set', 'emailSenderAddress=hello@platform.example'])).code).toBe(0)
		await expect.poll(async () => (await page()).includes('hello@platform.example'), { timeout: 3000 }).toBe(true)
		expect((await owner.post('/admin/settings', form({ emailSenderAddress: 'hello@platform.example' }))).status).toBe(302)
		expect(await acmeSettings()).toEqual({ emailSenderAddress: 'hello@platform.example' })
		expect((await owner.post('/admin/settings', form())).status).toBe(302)
		expect((await foyer.cli(['defaults', 'set', 'emailSenderAddress='])).code).toBe(0)
	})

	it('gives org admins no way to allow a domain themselves', async () => {
		const events = await auditCount()
		const response = await owner.post('/admin/settings', { ...form({ emailSenderAddress: 'ceo@bank.example' }), senderDomains: 'bank.example' })
		expect(response.status).toBe(400)
		expect((await owner.post('/admin/settings', { ...form(), senderDomains: 'bank.example' })).status).toBe(302)
		expect(await acmeSettings()).toEqual({})
		expect(await senderDomains()).toEqual(['acme.example'])
		expect((await owner.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: 'bank.example' })).status).toBe(404)
		expect((await foyer.client('acme').post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: 'bank.example' })).status).toBe(404)
		expect(await senderDomains()).toEqual(['acme.example'])
		expect(await auditCount()).toBe(events)
	})

	it('keeps an address whose domain the operator removed, says it is not used, and refuses a new one there', async () => {
		expect((await owner.post('/admin/settings', form({ emailSenderAddress: 'support@acme.example' }))).status).toBe(302)
		expect((await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme', '--none'])).code).toBe(0)
		expect(await senderDomains()).toEqual([])
		expect(await page()).toContain('support@acme.example is not on a sender domain allowed for Acme any more')
		// Saving the form as it is (other changes) keeps the stored value; it stays unused.
		expect((await owner.post('/admin/settings', form({ emailSenderAddress: 'support@acme.example', passkeys: 'on' }))).status).toBe(302)
		expect(await acmeSettings()).toEqual({ emailSenderAddress: 'support@acme.example', passkeys: true })
		expect((await owner.post('/admin/settings', form({ emailSenderAddress: 'help@acme.example' }))).status).toBe(400)
		expect((await owner.post('/admin/settings', form())).status).toBe(302)
	})
})
