import { describe, expect, test } from 'vitest'
import { renderEmail, type EmailBrand, type EmailTemplateName, type EmailTemplates } from '../../../emails'
import { smsCodeText } from '../mfa/sms/template'
import { type OverrideFields } from './overrides'
import { overrideTexts, smsBodyText } from './overrides.server'

/*
 * An org's override as its recipients get it: the mailer's path (overrideTexts, then
 * renderEmail) with hostile values, checking that the override shows, escaped, in both parts,
 * that Foyer's own parts (security notes, links, codes, footer) stay, and that every part the
 * org left alone keeps Foyer's wording.
 */
const brand: EmailBrand = {
	orgName: 'Acme Rockets',
	logoUrl: null,
	primary: '#c2410c',
	primaryForeground: '#ffffff',
	background: '#ffffff',
	surface: '#f8fafc',
	foreground: '#111827',
	muted: '#4b5563',
	border: '#d1d5db',
	link: '#c2410c',
	fontFamily: 'system-ui, sans-serif',
}
const to = 'ada@example.com'

async function render<K extends EmailTemplateName>(template: K, props: EmailTemplates[K], fields: OverrideFields, orgName = brand.orgName) {
	return renderEmail(template, props, { ...brand, orgName }, overrideTexts(template, fields, props, { orgName, to }))
}

const verify = { url: 'https://login.acme.test/verify?token=v1&x=1', code: '482913', expiresInMinutes: 10 }

describe('an override in a rendered email', () => {
	test('shows in the HTML and the text, with its variables filled in', async () => {
		const message = await render('verify-email', verify, {
			subject: 'Welcome aboard, {{user.email}}',
			heading: 'One step left at {{ org.name }}',
			intro: 'Use code {{code}} within {{expires_in}}.',
			button: 'Confirm my address',
		})
		expect(message.subject).toBe('Welcome aboard, ada@example.com')
		for (const part of [message.html, message.text]) {
			expect(part).toContain('One step left at Acme Rockets')
			expect(part).toContain('Use code 482913 within 10 minutes.')
			expect(part).toContain('Confirm my address')
		}
		expect(message.html).toMatch(/<title[^>]*>One step left at Acme Rockets<\/title>/)
	})

	test("keeps Foyer's parts: the link, the code box, the expiry and security notes, the footer", async () => {
		const message = await render('verify-email', verify, { subject: 'Hi', heading: 'Hi', intro: 'Hello there.', button: 'Go' })
		for (const part of [message.text]) {
			expect(part).toContain(verify.url)
			expect(part).toMatch(/Code\s+482913/)
			expect(part).toContain("If you didn't ask for this, you can ignore this email.")
			expect(part).toContain('You received this email from Acme Rockets.')
		}
		expect(message.html).toContain(verify.url.replace('&', '&amp;'))
		expect(message.html).toMatch(/href="https:\/\/login\.acme\.test\/verify\?token=v1&amp;x=1"[^>]*>[\s\S]*Go/)
	})

	test('the code never reaches the subject or the inbox preview line', async () => {
		const message = await render('sign-in-code', { code: '905172', expiresInMinutes: 10 }, { heading: 'Code inside', intro: 'Here it is: {{code}}' })
		expect(message.subject).not.toContain('905172')
		const preview = /<div[^>]*display:none[^>]*>([\s\S]*?)<\/div>/.exec(message.html)?.[1]
		expect(preview).toContain('Your code to sign in to Acme Rockets.')
		expect(preview).not.toContain('905172')
		expect(message.text).toContain('Here it is: 905172')
	})

	test('escapes hostile override text in the HTML and keeps it as text in the plain part', async () => {
		const hostile = '<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes"'
		const message = await render('magic-link', { url: 'https://login.acme.test/verify?token=m1', expiresInMinutes: 30 }, { heading: hostile, intro: hostile, button: hostile, subject: hostile })
		expect(message.html).not.toContain('<script')
		expect(message.html).not.toContain('<img src=x')
		expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp;')
		expect(message.text).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes"')
		expect(message.subject).toBe(hostile)
	})

	test('hostile variable values are escaped too, and are never filled in again', async () => {
		const props = { url: 'https://login.acme.test/invitations/accept?token=i1', inviterName: '<b>{{code}}</b> }}}{{', role: '<i>owner</i>', expiresInDays: 7 }
		const message = await render('invitation', props, { intro: '{{inviter.name}} wants you as {{role}}.' }, '<Acme> & {{link}}')
		expect(message.html).toContain('&lt;b&gt;{{code}}&lt;/b&gt; }}}{{ wants you as &lt;i&gt;owner&lt;/i&gt;.')
		expect(message.text).toContain('<b>{{code}}</b> }}}{{ wants you as <i>owner</i>.')
		expect(message.html).not.toContain('<b>{{code}}')
		expect(message.html).toContain('&lt;Acme&gt; &amp; {{link}}')
	})

	test("a part the org did not override keeps Foyer's wording", async () => {
		const message = await render('reset-password', { url: 'https://login.acme.test/verify?token=r1', expiresInMinutes: 30 }, { heading: 'New password time' })
		expect(message.subject).toBe('Reset your Acme Rockets password')
		expect(message.text).toContain('New password time')
		expect(message.text).toContain('We received a request to reset the password for your Acme Rockets account.')
		expect(message.text).toContain('Reset password')
		expect(message.text).not.toMatch(/Reset your password\n/)
	})

	test('no override renders exactly as before', async () => {
		const props = { when: 'Tue, 03 Mar 2026 14:05:00 GMT', left: 1, securityUrl: 'https://login.acme.test/account/security' }
		expect(await render('backup-code-used', props, {})).toEqual(await renderEmail('backup-code-used', props, brand))
	})

	test('a line break in a filled-in value does not reach the subject', async () => {
		const props = { when: 'x', ip: '203.0.113.7', device: 'Evil\r\nBcc: x@evil.test', sessionsUrl: 'https://login.acme.test/account/sessions' }
		const message = await render('new-sign-in', props, { subject: 'New sign-in from {{device}}' })
		expect(message.subject).toBe('New sign-in from Evil Bcc: x@evil.test')
	})

	test('a button label for a template without a button changes nothing', async () => {
		const props = { code: '905172', expiresInMinutes: 10 }
		const message = await renderEmail('sign-in-code', props, brand, { button: 'Click me' })
		expect(message.html).not.toContain('Click me')
	})
})

describe('the text message', () => {
	test("carries the org's body with the code, then Foyer's one-time-code line", () => {
		const body = smsBodyText({ body: 'Code {{code}} for {{org.name}}' }, { orgName: 'Acme', code: '654321' })
		expect(smsCodeText('654321', 'Acme', 'acme.localhost', body)).toBe('Code 654321 for Acme\n\n@acme.localhost #654321')
	})

	test("Foyer's own body without an override", () => {
		expect(smsBodyText({}, { orgName: 'Acme', code: '654321' })).toBeUndefined()
		expect(smsCodeText('654321', 'Acme', 'acme.localhost', undefined)).toBe("654321 is your Acme code. Don't share it.\n\n@acme.localhost #654321")
	})
})
