import { beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { emailFlowHelpers, justBefore, submitCode, uniqueEmail } from './email-flows.fixtures'
import { smsHelpers, uniquePhone } from './sms.fixtures'

/**
 * What an org's overrides and published branding do to the mail its people really get (the dev
 * outbox): the next message carries the override, escaped, with Foyer's security text, links and
 * codes intact; a reset brings the default back; another org's overrides never apply; "Send me a
 * test" goes only to the signed-in admin's own address and is counted by the send limit; the text
 * message carries its override; emails take the published branding, never the draft.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { browser, signIn, newUser } = emailFlowHelpers(foyer)
const { requestCode } = smsHelpers(foyer)
let owner: Client

const form = (intent: string, values: Record<string, string> = {}) => ({ intent, subject: '', heading: '', intro: '', button: '', ...values })
const save = async (template: string, values: Record<string, string>) => {
	const response = await owner.post(`/admin/emails/${template}`, template === 'sms-code' ? { intent: 'save', ...values } : form('save', values))
	expect(response.status, await response.clone().text()).toBe(302)
}
const reset = async (template: string) => expect((await owner.post(`/admin/emails/${template}`, { intent: 'reset' })).status).toBe(302)

/** A sign-in link requested on the org's page, as its user gets it. */
async function magicLinkEmail(slug = 'acme') {
	const { email } = await newUser('link', slug)
	const since = justBefore()
	expect((await browser(slug).post('/login/link', { email })).status).toBe(200)
	return latestOutboxEmail(foyer, email, { template: 'magic-link', after: since, org: slug })
}

beforeAll(async () => {
	owner = await signIn('acme', foyer.admins.acme!.email, foyer.admins.acme!.password)
})

describe('the next real email', () => {
	it('uses the saved override, escaped, keeping the link and the security note; a reset brings the default back', async () => {
		await save('magic-link', { subject: 'Door to {{org.name}} for {{user.email}}', heading: '<script>alert(1)</script> Welcome back', intro: 'Tap the button within {{expires_in}}.', button: 'Open the door' })
		const mail = await magicLinkEmail()
		expect(mail.subject).toBe(`Door to Acme for ${mail.to}`)
		expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Welcome back')
		expect(mail.html).not.toContain('<script')
		for (const part of [mail.text, mail.html]) {
			expect(part).toContain('Tap the button within 30 minutes.')
			expect(part).toContain('Open the door')
		}
		expect(mail.text).toContain('<script>alert(1)</script> Welcome back')
		expect(mail.text).toContain("Don't forward it: anyone who has it can sign in as you.")
		expect(mail.text).toContain('You received this email from Acme.')
		// The link still works.
		const client = browser('acme')
		const signedIn = await client.post(`/verify?${new URLSearchParams({ token: tokenFrom(mail.text) })}`, { intent: 'link', token: tokenFrom(mail.text) })
		expect(signedIn.status).toBe(302)
		expect((await client.request('/account')).status).toBe(200)

		await reset('magic-link')
		const after = await magicLinkEmail()
		expect(after.subject).toBe('Your Acme sign-in link')
		expect(after.text).toContain('Use the button below to sign in. No password needed.')
		expect(after.text).not.toContain('Open the door')
	})

	it("keeps Foyer's wording for every part the org left alone", async () => {
		await save('magic-link', { button: 'Continue' })
		const mail = await magicLinkEmail()
		expect(mail.subject).toBe('Your Acme sign-in link')
		expect(mail.text).toContain('Sign in to Acme')
		expect(mail.text).toContain('Use the button below to sign in. No password needed.')
		expect(mail.text).toMatch(/Continue \[?http:\/\/acme\.localhost:\d+\/verify\?token=/)
		await reset('magic-link')
	})

	it('a verification email with an override still carries its code, which still works', async () => {
		await save('verify-email', { subject: 'Almost there, {{org.name}}', intro: 'Your code is {{code}}; the link works too.' })
		const email = uniqueEmail('signup')
		const client = browser('acme')
		const since = justBefore()
		expect((await client.post('/signup', { email, password: 'violet tractor moonlight 42' })).status).toBe(302)
		const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: since })
		expect(mail.subject).toBe('Almost there, Acme')
		const code = codeFrom(mail.text)
		expect(mail.subject).not.toContain(code)
		expect(mail.text).toContain(`Your code is ${code}; the link works too.`)
		expect(mail.text).toMatch(new RegExp(`Code\\s+${code}`))
		expect(mail.text).toContain('/verify?token=')
		const verified = await submitCode(client, 'verify-email', email, code)
		expect(verified.status).toBe(302)
		await reset('verify-email')
	})

	it("never applies one org's override to another org's mail", async () => {
		expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex'])).code).toBe(0)
		await save('magic-link', { subject: 'Acme-only subject', heading: 'Acme-only heading' })
		const globex = await magicLinkEmail('globex')
		expect(globex.subject).toBe('Your Globex sign-in link')
		expect(globex.text).not.toContain('Acme-only')
		expect((await magicLinkEmail('acme')).subject).toBe('Acme-only subject')
		await reset('magic-link')
	})

	it('the text message carries its override, then the one-time-code line', async () => {
		await save('sms-code', { body: 'Use {{ code }} to sign in to {{org.name}}. We never call to ask for it.' })
		const { client } = await newUser('phone')
		const { sms, code } = await requestCode(client, uniquePhone())
		expect(sms.text).toBe(`Use ${code} to sign in to Acme. We never call to ask for it.\n\n@acme.localhost #${code}`)
		await reset('sms-code')
	})
})

describe('Send me a test', () => {
	it("goes to the signed-in admin's own address only, with the form's wording, storing nothing", async () => {
		const created = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'tester@acme.example', '--admin', '--json'])
		const admin = await signIn('acme', 'tester@acme.example', String(created.json!.password))
		const since = justBefore()
		const response = await admin.post('/admin/emails/invitation', { ...form('test', { subject: 'Unsaved: join {{org.name}}', intro: '{{inviter.name}} wants you as {{role}}.' }), to: 'victim@example.com', email: 'victim@example.com' })
		expect(response.status).toBe(200)
		expect(await response.text()).toContain('A test was sent to tester@acme.example')
		const mail = await latestOutboxEmail(foyer, 'tester@acme.example', { template: 'invitation', after: since })
		expect(mail.subject).toBe('[Test] Unsaved: join Acme')
		expect(mail.text).toContain('wants you as admin.')
		expect(mail.text).toContain('Accept invitation')
		const elsewhere = await foyer.sql('SELECT id FROM "OutboxEmail" WHERE "to" <> $1 AND "createdAt" > $2 AND template = $3', ['tester@acme.example', since, 'invitation'])
		expect(elsewhere).toEqual([])
		expect(await foyer.sql(`SELECT id FROM "EmailOverride" WHERE template = 'invitation'`)).toEqual([])

		// Counted by the per-address send limit (5 an hour): the sixth is refused with 429.
		const statuses: number[] = []
		for (let i = 0; i < 5; i++) statuses.push((await admin.post('/admin/emails/reset-password', form('test'))).status)
		expect(statuses).toEqual([200, 200, 200, 200, 429])
		const refused = await admin.post('/admin/emails/reset-password', form('test'))
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(refused.headers.get('cache-control')).toBe('no-store')
		expect(await refused.text()).toContain('Too many emails were requested for this address.')
	})

	it('refuses invalid wording before anything is sent', async () => {
		const since = justBefore()
		const response = await owner.post('/admin/emails/sign-in-code', form('test', { subject: 'Code {{code}}' }))
		expect(response.status).toBe(400)
		expect(await foyer.sql('SELECT id FROM "OutboxEmail" WHERE "to" = $1 AND "createdAt" > $2', [foyer.admins.acme!.email, since])).toEqual([])
	})
})

describe('the published branding in emails', () => {
	it('takes the display name, the light brand colour and the light logo of the published version, never the draft', async () => {
		const sha256 = 'b'.repeat(64)
		const published = { displayName: 'Acme Rockets', logo: { light: { sha256, type: 'png' }, dark: null }, colors: { light: { brand: '#15803d' }, dark: { brand: '#c2410c' } }, themeId: 'default' }
		const draft = { ...published, displayName: 'Draft Name', colors: { light: { brand: '#7e22ce' }, dark: { brand: '#7e22ce' } } }
		await foyer.sql(
			`WITH org AS (SELECT id FROM "Organization" WHERE slug = 'acme'),
				version AS (INSERT INTO "BrandingVersion" (id, "organizationId", number, document) SELECT 'bv-emails-1', id, 1, $1::jsonb FROM org RETURNING id, "organizationId")
			UPDATE "Organization" SET "publishedBrandingId" = version.id FROM version WHERE "Organization".id = version."organizationId"`,
			[JSON.stringify(published)],
		)
		await foyer.sql(`INSERT INTO "BrandingDraft" ("organizationId", document, "updatedAt") SELECT id, $1::jsonb, now() FROM "Organization" WHERE slug = 'acme'`, [JSON.stringify(draft)])
		await foyer.sql(`SELECT pg_notify('foyer_changes', json_build_object('type', 'org', 'id', id)::text) FROM "Organization" WHERE slug = 'acme'`)

		await expect.poll(async () => (await magicLinkEmail()).subject, { timeout: 5000 }).toBe('Your Acme Rockets sign-in link')
		const mail = await magicLinkEmail()
		expect(mail.html).toMatch(new RegExp(`src="http://acme\\.localhost:\\d+/assets/${sha256}\\.png"`))
		expect(mail.html).toContain('alt="Acme Rockets"')
		expect(mail.html).toContain('#15803d')
		expect(mail.html).not.toContain('Draft Name')
		expect(mail.html.toLowerCase()).not.toContain('#7e22ce')
		expect(mail.text).toContain('You received this email from Acme Rockets.')

		// Also the owner invitation an operator sends again from the org's page.
		const operator = await signIn('operator', foyer.admins.operator!.email, foyer.admins.operator!.password)
		const since = justBefore()
		expect((await operator.post('/operator/orgs/acme', { intent: 'invite', email: 'new-owner@acme.example' })).status).toBe(302)
		const invitation = await latestOutboxEmail(foyer, 'new-owner@acme.example', { template: 'invitation', after: since })
		expect(invitation.subject).toBe("You're invited to join Acme Rockets")
		expect(invitation.html).toContain('#15803d')
	})
})
