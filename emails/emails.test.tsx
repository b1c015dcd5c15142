import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest'
import { documentFromLegacy, type BrandingDocument } from '../app/modules/branding/document'
import { emailBrand } from '../app/modules/email/brand.server'
import { getTheme } from '../app/modules/branding/theme.server'
import { documentTokens } from '../app/modules/branding/tokens'
import { renderEmail, type EmailBrand, type EmailTemplateName, type EmailTemplates } from '.'

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

// `&` in every URL, so the tests see that HTML escapes it and the text part does not.
const samples: { [K in EmailTemplateName]: EmailTemplates[K] } = {
	'verify-email': { url: 'https://login.acme.test/verify?type=email&token=v1', code: '482913', expiresInMinutes: 15 },
	'reset-password': { url: 'https://login.acme.test/reset?type=reset&token=r1', expiresInMinutes: 60 },
	'magic-link': { url: 'https://login.acme.test/verify?type=magic&token=m1', expiresInMinutes: 10 },
	'sign-in-code': { code: '905172', expiresInMinutes: 10 },
	'email-changed': { oldEmail: 'old@example.com', newEmail: 'new@example.com', supportUrl: 'https://acme.test/help?topic=account&from=email' },
	'email-change-requested': {
		url: 'https://login.acme.test/verify?type=change-email&token=c1',
		code: '301245',
		newEmail: 'new@example.com',
		expiresInMinutes: 30,
	},
	'password-changed': { when: '3 March 2025, 14:05 UTC', resetUrl: 'https://login.acme.test/forgot?from=email&reason=changed' },
	'new-sign-in': {
		when: '3 March 2025, 14:05 UTC',
		ip: '203.0.113.7',
		device: 'Firefox on macOS',
		sessionsUrl: 'https://login.acme.test/account/sessions?from=email&x=1',
	},
	'invitation': { url: 'https://login.acme.test/invitations/accept?token=i1&org=acme', inviterName: 'Ada Lovelace', role: 'admin', expiresInDays: 7 },
	'account-exists': { signInUrl: 'https://login.acme.test/login?from=email&hint=exists', resetUrl: 'https://login.acme.test/forgot?from=email&hint=exists' },
	'backup-code-used': { when: '3 March 2025, 14:05 UTC', left: 7, securityUrl: 'https://login.acme.test/account/security?from=email&x=1' },
}

/** What each template must carry into both parts. */
function secretsOf(props: Record<string, unknown>): string[] {
	return Object.entries(props)
		.filter(([key, value]) => typeof value === 'string' && (key === 'code' || key.endsWith('url') || key.endsWith('Url')))
		.map(([, value]) => value as string)
}

const escapeHtml = (value: string) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

let consoleError: MockInstance
beforeEach(() => {
	consoleError = vi.spyOn(console, 'error')
})
afterEach(() => {
	expect(consoleError).not.toHaveBeenCalled()
	consoleError.mockRestore()
})

describe.each(Object.keys(samples) as EmailTemplateName[])('%s', (name) => {
	const props = samples[name]

	test('has a subject, and every link and code in both parts', async () => {
		const message = await renderEmail(name, props, brand)
		expect(message.subject.trim()).not.toBe('')
		expect(message.subject).not.toMatch(/[\r\n]/)
		expect(message.html).toContain('lang="en"')
		expect(message.html).toContain(brand.primary)
		expect(message.html).toContain(brand.orgName)
		expect(message.html).toContain(`You received this email from ${brand.orgName}.`)
		const secrets = secretsOf(props)
		expect(secrets.length).toBeGreaterThan(0)
		for (const secret of secrets) {
			expect(message.html).toContain(escapeHtml(secret))
			expect(message.text).toContain(secret)
		}
	})

	test('text part is plain text', async () => {
		const { text } = await renderEmail(name, props, brand)
		expect(text).not.toMatch(/<\/?[a-z!][^>]*>/i)
		expect(text).not.toContain('&amp;')
		expect(text).toContain(`You received this email from ${brand.orgName}.`)
	})

	test('escapes an org name that looks like markup', async () => {
		const hostile = { ...brand, orgName: '<script>alert(1)</script> & Co' }
		const { html } = await renderEmail(name, props, hostile)
		expect(html).not.toContain('<script')
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co')
	})

	test('no code or link in the subject', async () => {
		const { subject } = await renderEmail(name, props, brand)
		for (const secret of secretsOf(props)) expect(subject).not.toContain(secret)
	})
})

describe('layout', () => {
	test('shows the logo when there is one, the org name as a wordmark otherwise', async () => {
		const withLogo = await renderEmail('magic-link', samples['magic-link'], { ...brand, logoUrl: 'https://cdn.acme.test/logo.png' })
		expect(withLogo.html).toMatch(/<img[^>]*alt="Acme Rockets"/)
		expect(withLogo.html).toContain('src="https://cdn.acme.test/logo.png"')
		const without = await renderEmail('magic-link', samples['magic-link'], brand)
		expect(without.html).not.toContain('<img')
	})

	test('codes are large, monospace and letter-spaced', async () => {
		const { html } = await renderEmail('sign-in-code', samples['sign-in-code'], brand)
		expect(html).toMatch(/<p[^>]*style="[^"]*monospace[^"]*letter-spacing[^"]*"[^>]*>905172<\/p>/)
		expect(html).toContain('font-size:32px')
	})

	test('verify-email shows the code next to the word Code', async () => {
		const { html, text } = await renderEmail('verify-email', samples['verify-email'], brand)
		expect(html).toMatch(/>Code<\/p>/)
		expect(text).toMatch(/Code\s+482913/)
	})

	test('email-change-requested works without a code', async () => {
		const { code: _code, ...props } = samples['email-change-requested']
		const { html, text } = await renderEmail('email-change-requested', props, brand)
		expect(text).toContain(props.url)
		expect(html).not.toMatch(/>Code<\/p>/)
		expect(text).not.toContain('301245')
	})

	test('email-changed tells the old address the new one', async () => {
		const { text } = await renderEmail('email-changed', samples['email-changed'], brand)
		expect(text).toContain('new@example.com')
		expect(text).toContain(samples['email-changed'].supportUrl)
	})

	test('invitation without an inviter name', async () => {
		const message = await renderEmail('invitation', { ...samples.invitation, inviterName: null }, brand)
		expect(message.subject).toBe('You\'re invited to join Acme Rockets')
		expect(message.text).toContain('Someone invited you to join Acme Rockets')
	})

	test('a line break in the org name does not reach the subject', async () => {
		const { subject } = await renderEmail('reset-password', samples['reset-password'], { ...brand, orgName: 'Acme\r\nBcc: x@evil.test' })
		expect(subject).toBe('Reset your Acme Bcc: x@evil.test password')
	})
})

describe('emailBrand', () => {
	/** An org as the mailer gets it: the published document on ResolvedOrg.branding. */
	const orgWith = (changes: Partial<BrandingDocument> = {}, legacy = { brandColor: '#c2410c', themeId: 'default' }) => ({
		name: 'Acme',
		origin: 'https://login.acme.test',
		branding: { document: { ...documentFromLegacy(legacy), ...changes } },
	})

	test('uses the same tokens as the pages, from the light palette and the theme', () => {
		const tokens = documentTokens(documentFromLegacy({ brandColor: '#c2410c', themeId: 'default' }), getTheme('default'), 'light')
		const result = emailBrand(orgWith())
		expect(result.primary).toBe(tokens['--brand-primary'])
		expect(result.primaryForeground).toBe(tokens['--brand-primary-foreground'])
		expect(result.background).toBe(tokens['--brand-background'])
		expect(result.link).toBe(tokens['--brand-link'])
		expect(result.fontFamily).toBe(tokens['--brand-font'])
		expect(result.orgName).toBe('Acme')
		expect(result.logoUrl).toBeNull()
	})

	test('takes the light palette, not the dark one', () => {
		const document = documentFromLegacy({ brandColor: '#c2410c', themeId: 'default' })
		const result = emailBrand(orgWith({ colors: { light: { ...document.colors.light, brand: '#15803d' }, dark: { ...document.colors.dark, brand: '#c2410c' } } }))
		expect(result.primary).toBe(documentTokens(documentFromLegacy({ brandColor: '#15803d', themeId: 'default' }), getTheme('default'), 'light')['--brand-primary'])
	})

	test('shows the display name when one is set', () => {
		expect(emailBrand(orgWith({ displayName: 'Acme Rockets' })).orgName).toBe('Acme Rockets')
	})

	test('an unknown theme falls back to the default theme', () => {
		expect(emailBrand(orgWith({ themeId: 'no-such-theme' }))).toEqual(emailBrand(orgWith()))
	})

	test('an org whose pages open dark gets the dark palette', () => {
		const dark = emailBrand(orgWith({ themeId: 'midnight', appearance: 'dark' }))
		expect(dark.background).toBe(getTheme('midnight').colors.dark.background)
	})

	test("the light logo as an absolute URL on the org's origin", () => {
		const sha256 = 'a'.repeat(64)
		expect(emailBrand(orgWith({ logo: { light: { sha256, type: 'png' }, dark: null } })).logoUrl).toBe(`https://login.acme.test/assets/${sha256}.png`)
		expect(emailBrand(orgWith({ logo: { light: { sha256, type: 'jpeg' }, dark: null } })).logoUrl).toBe(`https://login.acme.test/assets/${sha256}.jpg`)
		// Only a dark logo: emails are light, so none (the name shows as a wordmark).
		expect(emailBrand(orgWith({ logo: { light: null, dark: { sha256, type: 'png' } } })).logoUrl).toBeNull()
	})
})
