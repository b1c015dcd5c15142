import { defaultTexts, type EmailTemplateName, type EmailTemplates, type EmailTexts } from '../../../emails'
import { config } from '../../utils/config.server'
import { decrypt, encrypt } from '../../utils/crypto.server'
import { displayNameOf } from '../branding/document'
import { INVITATION_DAYS } from '../invitations/invitations.server'
import { defaultSmsBody, smsCodeText } from '../mfa/sms/template'
import { CODE_TTL_MINUTES, LINK_TTL_MINUTES } from '../verification/verification.server'
import { emailBrand } from './brand.server'
import { orgLink, renderOrgEmail, type MailOrg } from './mailer.server'
import { isOverrideTemplate, overrideProblems, SMS_TEMPLATE, type OverrideFields, type OverrideTemplate } from './overrides'
import { smsBodyText } from './overrides.server'

/**
 * What /admin/emails shows of a template before anyone gets it: the message rendered with sample
 * data through the same code as real mail (renderOrgEmail), and "Send me a test". Sample links
 * point at the org's own pages with a token that matches nothing, so following one is harmless.
 */

export const SAMPLE_CODE = '123456'
const SAMPLE_TOKEN = 'sample-not-a-real-link'

type PreviewOrg = MailOrg & { host: string }
type Admin = { email: string; name: string | null }

const SAMPLES: { [K in EmailTemplateName]: (org: PreviewOrg, admin: Admin) => EmailTemplates[K] } = {
	'verify-email': (org) => ({ url: orgLink(org, '/verify', { token: SAMPLE_TOKEN }), code: SAMPLE_CODE, expiresInMinutes: CODE_TTL_MINUTES }),
	'reset-password': (org) => ({ url: orgLink(org, '/verify', { token: SAMPLE_TOKEN }), expiresInMinutes: LINK_TTL_MINUTES }),
	'magic-link': (org) => ({ url: orgLink(org, '/verify', { token: SAMPLE_TOKEN }), expiresInMinutes: LINK_TTL_MINUTES }),
	'sign-in-code': () => ({ code: SAMPLE_CODE, expiresInMinutes: CODE_TTL_MINUTES }),
	'email-change-requested': (org, admin) => ({ url: orgLink(org, '/verify', { token: SAMPLE_TOKEN }), newEmail: admin.email, expiresInMinutes: LINK_TTL_MINUTES }),
	'email-changed': (org, admin) => ({ oldEmail: admin.email, newEmail: 'new-address@example.com', supportUrl: orgLink(org, '/forgot-password') }),
	'password-changed': (org) => ({ when: new Date().toUTCString(), resetUrl: orgLink(org, '/forgot-password') }),
	'new-sign-in': (org) => ({ when: new Date().toUTCString(), ip: '203.0.113.7', device: 'Firefox on macOS', sessionsUrl: orgLink(org, '/account/sessions') }),
	'invitation': (org, admin) => ({ url: orgLink(org, '/invitations/accept', { token: SAMPLE_TOKEN }), inviterName: admin.name ?? admin.email, role: 'admin', expiresInDays: INVITATION_DAYS }),
	'account-exists': (org) => ({ signInUrl: orgLink(org, '/login'), resetUrl: orgLink(org, '/forgot-password') }),
	'backup-code-used': (org) => ({ when: new Date().toUTCString(), left: 7, securityUrl: orgLink(org, '/account/security') }),
}

export function sampleProps<K extends EmailTemplateName>(template: K, org: PreviewOrg, admin: Admin): EmailTemplates[K] {
	return SAMPLES[template](org, admin)
}

export type TemplatePreview = { kind: 'email'; subject: string; html: string; text: string } | { kind: 'sms'; text: string }

/** The template as the admin's own address would get it, with these fields (unsaved ones too). */
export async function renderPreview(org: PreviewOrg, template: OverrideTemplate, fields: OverrideFields, admin: Admin): Promise<TemplatePreview> {
	if (template === SMS_TEMPLATE) {
		const orgName = displayNameOf(org.branding.document, org)
		return { kind: 'sms', text: smsCodeText(SAMPLE_CODE, orgName, org.host, smsBodyText(fields, { orgName, code: SAMPLE_CODE })) }
	}
	const message = await renderOrgEmail(org, admin.email, template, sampleProps(template, org, admin), fields)
	return { kind: 'email', ...message }
}

/** Foyer's wording with the sample data, shown beside each field ("Default: ..."). */
export function defaultTextsFor(org: PreviewOrg, template: OverrideTemplate, admin: Admin): Partial<EmailTexts> & { body?: string } {
	if (template === SMS_TEMPLATE) {
		return { body: defaultSmsBody(SAMPLE_CODE, displayNameOf(org.branding.document, org)) }
	}
	return defaultTexts(template, sampleProps(template, org, admin), emailBrand(org))
}

/**
 * A dark mail app, simulated: many (Gmail's and Outlook's apps) invert the colours of a light
 * email; images are turned back. Only for the preview frame: sent mail has no such rule.
 */
export function simulateDarkMode(html: string): string {
	const style = '<style>html{filter:invert(1) hue-rotate(180deg);background:#fff}img{filter:invert(1) hue-rotate(180deg)}</style>'
	return html.includes('</head>') ? html.replace('</head>', `${style}</head>`) : `${style}${html}`
}

/*
 * The preview frame loads with a GET, so unsaved fields travel to it sealed (AES-GCM under
 * FOYER_SECRET_KEY): a link someone crafts cannot make an admin's console show text of their
 * choosing, the fields stay out of access logs, and a sealed preview opens only for the admin
 * who asked for it, in the org and for the template it was made for, for half an hour.
 */
const PURPOSE = 'email-preview'
const PREVIEW_MINUTES = 30

type Sealed = { o: string; u: string; t: string; f: OverrideFields; e: number }

export function sealPreview(input: { organizationId: string; userId: string; template: OverrideTemplate; fields: OverrideFields }, now = Date.now()): string {
	const sealed: Sealed = { o: input.organizationId, u: input.userId, t: input.template, f: input.fields, e: now + PREVIEW_MINUTES * 60_000 }
	return encrypt(JSON.stringify(sealed), config().secrets.secretKey, PURPOSE)
}

/** The fields of a sealed preview, or null when it is not this admin's, this org's and this template's, or has expired. */
export function openPreview(token: string, expected: { organizationId: string; userId: string; template: OverrideTemplate }, now = Date.now()): OverrideFields | null {
	let sealed: Sealed
	try {
		sealed = JSON.parse(decrypt(token, config().secrets.secretKey, PURPOSE)) as Sealed
	} catch {
		return null
	}
	if (sealed.o !== expected.organizationId || sealed.u !== expected.userId || sealed.t !== expected.template || !(sealed.e > now)) return null
	if (!isOverrideTemplate(sealed.t) || typeof sealed.f !== 'object' || sealed.f === null) return null
	// Sealed by us after the same check; checked again so a rule tightened since never renders.
	return Object.keys(overrideProblems(expected.template, sealed.f)).length ? null : sealed.f
}
