import { beforeAll, describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { emailFlowHelpers, textOf } from './email-flows.fixtures'

/**
 * /admin/emails as a browser without JavaScript: the list of templates, an override saved,
 * refused (400, nothing stored, nothing audited) and reset, each change audited; the preview of
 * the saved wording and of unsaved wording (a POST, then the sandboxed frame's GET with the
 * sealed fields); and who may do what (branding: read to look, update to change).
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { signIn, newUser } = emailFlowHelpers(foyer)
let owner: Client

const stored = async (template: string, slug = 'acme') =>
	(await foyer.sql<{ fields: Record<string, string> }>(`SELECT e.fields FROM "EmailOverride" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 AND e.template = $2`, [slug, template]))[0]
		?.fields ?? null
const auditEvents = (type: string) =>
	foyer.sql<{ actorId: string; targetId: string; data: Record<string, unknown> }>(
		`SELECT e."actorId", e."targetId", e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = $1 ORDER BY e.seq`,
		[type],
	)
const overrideRows = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "EmailOverride"'))[0]!.n)
const form = (intent: string, values: Record<string, string> = {}) => ({ intent, subject: '', heading: '', intro: '', button: '', ...values })

beforeAll(async () => {
	owner = await signIn('acme', foyer.admins.acme!.email, foyer.admins.acme!.password)
})

describe('/admin/emails', () => {
	it('lists every template, each with a link to its editor, and is in the console nav', async () => {
		const response = await owner.request('/admin/emails')
		expect(response.status).toBe(200)
		expect(response.headers.get('cache-control')).toBe('no-store')
		const html = await textOf(response)
		expect(html).toContain('href="/admin/emails"')
		for (const template of ['verify-email', 'reset-password', 'magic-link', 'sign-in-code', 'email-change-requested', 'email-changed', 'password-changed', 'new-sign-in', 'invitation', 'account-exists', 'backup-code-used', 'sms-code']) {
			expect(html, template).toContain(`href="/admin/emails/${template}"`)
		}
		expect(html).toContain("Foyer's default")
	})

	it('shows each field with a label, the default and the variables it takes', async () => {
		const editor = await owner.request('/admin/emails/invitation')
		expect(editor.headers.get('cache-control')).toBe('no-store')
		const html = await textOf(editor)
		for (const name of ['subject', 'heading', 'intro', 'button']) {
			const id = new RegExp(`id="([^"]+)"[^>]*name="${name}"|name="${name}"[^>]*id="([^"]+)"`).exec(html)
			const controlId = id?.[1] ?? id?.[2]
			expect(controlId, name).toBeTruthy()
			expect(html, name).toContain(`for="${controlId}"`)
		}
		expect(html).toContain("Default: You're invited to join Acme")
		expect(html).toContain('Must contain {{role}}')
		expect(html).toContain('{{inviter.name}}')
		// The code template has no button; the SMS only its body.
		expect(await (await owner.request('/admin/emails/sign-in-code')).text()).not.toContain('name="button"')
		const sms = await owner.request('/admin/emails/sms-code')
		expect(sms.status).toBe(200)
		const smsHtml = await textOf(sms)
		expect(smsHtml).toContain('name="body"')
		expect(smsHtml).toContain('123456 is your Acme code.')
		expect(smsHtml).not.toContain('Send me a test')
	})

	it('answers 404 for a template that does not exist', async () => {
		for (const path of ['/admin/emails/no-such', '/admin/emails/__proto__', '/admin/emails/no-such/preview']) expect((await owner.request(path)).status, path).toBe(404)
		expect((await owner.post('/admin/emails/no-such', form('save', { subject: 'x' }))).status).toBe(404)
	})

	it('saves an override, audits it, shows it in the form and the preview, and resets it', async () => {
		const saved = await owner.post('/admin/emails/magic-link', form('save', { subject: 'Your way into {{org.name}}', heading: 'Hello {{ user.email }}', intro: 'One click\nand you are in.', button: 'Let me in' }))
		expect(saved.status, await saved.clone().text()).toBe(302)
		expect(saved.headers.get('location')).toBe('/admin/emails/magic-link?saved=1')
		expect(await stored('magic-link')).toEqual({ subject: 'Your way into {{org.name}}', heading: 'Hello {{ user.email }}', intro: 'One click and you are in.', button: 'Let me in' })
		const [ownerRow] = await foyer.sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [foyer.admins.acme!.email])
		const [event] = await auditEvents('email.override_saved')
		expect(event).toMatchObject({ actorId: ownerRow!.id, targetId: 'magic-link', data: { template: 'magic-link', previous: {}, fields: { button: 'Let me in' } } })

		const page = await textOf(await owner.request('/admin/emails/magic-link?saved=1'))
		expect(page).toContain('Saved.')
		expect(page).toContain('value="Your way into {{org.name}}"')
		expect(page).toContain(`Your way into Acme`)
		expect(page).toContain(`Hello ${foyer.admins.acme!.email}`)
		expect(await textOf(await owner.request('/admin/emails'))).toContain('Customised: subject, heading, intro, button label')

		// The same again records nothing; a reset does, once.
		expect((await owner.post('/admin/emails/magic-link', form('save', { subject: 'Your way into {{org.name}}', heading: 'Hello {{ user.email }}', intro: 'One click and you are in.', button: 'Let me in' }))).status).toBe(302)
		expect(await auditEvents('email.override_saved')).toHaveLength(1)
		const reset = await owner.post('/admin/emails/magic-link', { intent: 'reset' })
		expect(reset.status).toBe(302)
		expect(reset.headers.get('location')).toBe('/admin/emails/magic-link?reset=1')
		expect(await stored('magic-link')).toBeNull()
		expect(await auditEvents('email.override_reset')).toEqual([expect.objectContaining({ targetId: 'magic-link', data: expect.objectContaining({ previous: expect.objectContaining({ button: 'Let me in' }) }) })])
		expect((await owner.post('/admin/emails/magic-link', { intent: 'reset' })).status).toBe(302)
		expect(await auditEvents('email.override_reset')).toHaveLength(1)
		expect(await textOf(await owner.request('/admin/emails/magic-link'))).toContain('Use the button below to sign in. No password needed.')
	})

	const refused: Array<[string, string, Record<string, string>, RegExp]> = [
		['an unknown variable', 'magic-link', { heading: 'Hi {{user.name}}' }, /Heading: unknown variable \{\{user.name\}\}/],
		["another template's variable", 'reset-password', { intro: 'Your code is {{code}}' }, /Intro: unknown variable \{\{code\}\}/],
		['a code in the subject', 'verify-email', { subject: 'Your code: {{code}}' }, /Subject: \{\{code\}\} can only go in the intro/],
		['a link in the button', 'magic-link', { button: '{{link}}' }, /Button label: \{\{link\}\} can only go in the intro/],
		['malformed braces', 'verify-email', { intro: 'Welcome {{org.name}' }, /Intro: a \{ or \} that is not part of a variable/],
		['a triple mustache', 'verify-email', { intro: 'Code {{{code}}}' }, /Intro: a \{ or \}/],
		['a missing required variable', 'invitation', { intro: 'Come and join us.' }, /Intro must contain \{\{role\}\}/],
		['an SMS without its code', 'sms-code', { body: 'Your {{org.name}} code is on its way' }, /Message must contain \{\{code\}\}/],
		['a subject over the limit', 'verify-email', { subject: 'x'.repeat(121) }, /Subject: at most 120 characters/],
		['a control character', 'verify-email', { heading: 'Hi\u0000there' }, /Heading: no control characters/],
		['a button for a template without one', 'sign-in-code', { button: 'Go' }, /has no button label/],
	]

	it.each(refused)('refuses %s with 400 and the message on the field, storing and auditing nothing', async (_label, template, values, message) => {
		const [rows, events] = [await overrideRows(), (await auditEvents('email.override_saved')).length]
		const response = await owner.post(`/admin/emails/${template}`, { intent: 'save', ...values })
		expect(response.status).toBe(400)
		const html = await textOf(response)
		expect(html).toMatch(message)
		expect(html).toMatch(/id="[^"]+-error"|role="alert"/)
		expect(await overrideRows()).toBe(rows)
		expect(await auditEvents('email.override_saved')).toHaveLength(events)
	})

	it('keeps a stored override when a bad change to it is refused', async () => {
		expect((await owner.post('/admin/emails/reset-password', form('save', { heading: 'New password, please' }))).status).toBe(302)
		expect((await owner.post('/admin/emails/reset-password', form('save', { heading: 'Oops {{code}}' }))).status).toBe(400)
		expect(await stored('reset-password')).toEqual({ heading: 'New password, please' })
		expect((await owner.post('/admin/emails/reset-password', { intent: 'reset' })).status).toBe(302)
	})

	it('previews unsaved wording with a POST, the frame under its own sandboxing CSP, storing nothing', async () => {
		const response = await owner.post('/admin/emails/verify-email', form('preview', { subject: 'Draft subject for {{org.name}}', heading: '<script>alert(1)</script> draft', intro: 'Type {{code}} now.' }))
		expect(response.status).toBe(200)
		const page = await textOf(response)
		expect(page).toContain('Draft subject for Acme')
		expect(page).toContain('Type 123456 now.')
		expect(page).toContain('It is not saved yet')
		// The form keeps what was typed.
		expect(page).toContain('value="Draft subject for {{org.name}}"')
		expect(page).not.toContain('<script>alert(1)')
		expect(await stored('verify-email')).toBeNull()

		const frames = [...page.matchAll(/<iframe[^>]*src="([^"]+)"[^>]*sandbox=""/g)].map((match) => match[1]!)
		expect(frames).toHaveLength(2)
		const [light, dark] = frames
		expect(light).toMatch(/^\/admin\/emails\/verify-email\/preview\?scheme=light&draft=/)
		const frame = await owner.request(light!)
		expect(frame.status).toBe(200)
		expect(frame.headers.get('content-type')).toBe('text/html; charset=utf-8')
		const csp = frame.headers.get('content-security-policy')!
		expect(csp.split(';').map((directive) => directive.trim())).toEqual(expect.arrayContaining(["default-src 'none'", 'sandbox', "frame-ancestors 'self'", "style-src 'unsafe-inline'"]))
		expect(csp).not.toContain('nonce-')
		expect(csp).not.toContain('script-src')
		expect(frame.headers.get('x-content-type-options')).toBe('nosniff')
		const html = await frame.text()
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; draft')
		expect(html).not.toContain('<script')
		expect(html).toContain('123456')
		const darkHtml = await (await owner.request(dark!)).text()
		expect(darkHtml).toContain('filter:invert(1)')

		// The saved wording (none: Foyer's) without a draft.
		const saved = await (await owner.request('/admin/emails/verify-email/preview?scheme=light')).text()
		expect(saved).toContain('Verify your email')
		expect(saved).not.toContain('draft')

		// A sealed preview opens for this admin, on this template only; a tampered one for nobody.
		const token = new URL(light!, 'http://x').searchParams.get('draft')!
		expect((await owner.request(`/admin/emails/magic-link/preview?draft=${encodeURIComponent(token)}`)).status).toBe(410)
		expect((await owner.request(`/admin/emails/verify-email/preview?draft=${encodeURIComponent(`${token.slice(0, -2)}xx`)}`)).status).toBe(410)
		const second = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'second-admin@acme.example', '--admin', '--json'])
		const admin = await signIn('acme', 'second-admin@acme.example', String(second.json!.password))
		expect((await admin.request(light!)).status).toBe(410)
	})

	it('refuses a preview of invalid wording with the same messages as a save', async () => {
		const response = await owner.post('/admin/emails/verify-email', form('preview', { subject: '{{code}}' }))
		expect(response.status).toBe(400)
		expect(await textOf(response)).toMatch(/Subject: \{\{code\}\} can only go in the intro/)
	})
})

describe('who may use /admin/emails', () => {
	it('gives members 403 on every page and action', async () => {
		const { client: member } = await newUser('member')
		for (const path of ['/admin/emails', '/admin/emails/magic-link', '/admin/emails/magic-link/preview']) expect((await member.request(path)).status, path).toBe(403)
		for (const intent of ['save', 'preview', 'test', 'reset']) {
			expect((await member.post('/admin/emails/magic-link', form(intent, { subject: 'Member was here' }))).status, intent).toBe(403)
		}
		expect(await stored('magic-link')).toBeNull()
	})

	it('lets a role with branding: read look and preview, but not save, reset or send a test', async () => {
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") SELECT 'role-brand-reader', id, 'brand-reader', '{"branding":["read"]}', now() FROM "Organization" WHERE slug = 'acme'`)
		const { email, client: reader } = await newUser('reader')
		await foyer.sql(`UPDATE "User" SET role = 'brand-reader' WHERE email = $1`, [email])
		const page = await reader.request('/admin/emails/magic-link')
		expect(page.status).toBe(200)
		const html = await page.text()
		expect(html).toMatch(/<fieldset[^>]*disabled=""/)
		expect(html).not.toContain('Send me a test')
		expect((await reader.request('/admin/emails/magic-link/preview')).status).toBe(200)
		expect((await reader.post('/admin/emails/magic-link', form('preview', { heading: 'Reader draft' }))).status).toBe(200)
		for (const intent of ['save', 'test', 'reset']) expect((await reader.post('/admin/emails/magic-link', form(intent, { heading: 'Reader draft' }))).status, intent).toBe(403)
		expect(await stored('magic-link')).toBeNull()
	})

	it("never shows one org's overrides to another org's admin", async () => {
		expect((await owner.post('/admin/emails/account-exists', form('save', { heading: 'Acme only heading' }))).status).toBe(302)
		expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex'])).code).toBe(0)
		const created = await foyer.cli(['users', 'create', '--org', 'globex', '--email', 'boss@globex.example', '--admin', '--json'])
		const globex = await signIn('globex', 'boss@globex.example', String(created.json!.password))
		const page = await textOf(await globex.request('/admin/emails/account-exists'))
		expect(page).not.toContain('Acme only heading')
		expect(page).toContain('You already have an account')
		expect(await textOf(await globex.request('/admin/emails'))).not.toContain('Customised')
	})
})
