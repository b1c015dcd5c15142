import nodemailer, { type Transporter } from 'nodemailer'
import { renderEmail, type EmailTemplateName, type EmailTemplates } from '../../../emails'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { originFor } from '../orgs/hosts'
import { type ResolvedOrg } from '../orgs/resolve.server'
import { senderAddressFor } from '../orgs/sender-domains.server'
import { emailBrand } from './brand.server'
import { type OverrideFields } from './overrides'
import { loadOverride, overrideTexts } from './overrides.server'

/**
 * The one mailer. Every message is rendered from a react-email template (HTML and plain text)
 * with the org's published brand and its overrides of the template's wording (overrides.ts),
 * then either sent through SMTP_URL with the org's sender name and address
 * (an address on a domain an operator allowed the org, else the platform's),
 * or, with no SMTP_URL, stored in the dev outbox and linked from the server log, so every flow
 * works on `npm start` with no mail server.
 */
/** `senderDomains` left out counts as none allowed: the platform's sender, never an unchecked address. */
export type MailOrg = Pick<ResolvedOrg, 'id' | 'name' | 'origin' | 'branding' | 'settings'> & Partial<Pick<ResolvedOrg, 'senderDomains'>>

export type SendOptions = {
	/** "Send me a test" from /admin/emails: the form's wording instead of the stored override, and a subject that says it is a test. */
	test?: { overrides: OverrideFields }
}

export type Delivery = { via: 'smtp'; messageId: string } | { via: 'outbox'; id: string }

let transport: Transporter | undefined

function smtp(url: string): Transporter {
	transport ??= nodemailer.createTransport(url)
	return transport
}

export async function sendEmail<K extends EmailTemplateName>(org: MailOrg, to: string, template: K, props: EmailTemplates[K], options: SendOptions = {}): Promise<Delivery> {
	const { env } = config()
	const message = await renderOrgEmail(org, to, template, props, options.test?.overrides)
	if (options.test) message.subject = `[Test] ${message.subject}`
	// The org's own address only while its domain is allowed (an operator may have removed it).
	const from = { name: org.settings.emailSenderName ?? org.name, address: senderAddressFor(org) }
	if (env.SMTP_URL) {
		const sent = (await smtp(env.SMTP_URL).sendMail({ from, to, subject: message.subject, html: message.html, text: message.text })) as { messageId: string }
		logger.info({ org: org.id, template, messageId: sent.messageId }, 'email sent')
		return { via: 'smtp', messageId: sent.messageId }
	}
	const stored = await db().outboxEmail.create({
		data: { organizationId: org.id, template, from: `${from.name} <${from.address}>`, to, subject: message.subject, html: message.html, text: message.text },
	})
	const url = `${originFor(env.FOYER_OPERATOR_HOST, { scheme: env.FOYER_PUBLIC_SCHEME, port: env.publicPort })}/operator/outbox/${stored.id}`
	logger.info({ org: org.id, template, to, url }, `email stored in the dev outbox: ${url}`)
	return { via: 'outbox', id: stored.id }
}

/**
 * A message as the org's recipients get it: its published brand and its override (the stored
 * one, or the given fields for a preview or a test).
 */
export async function renderOrgEmail<K extends EmailTemplateName>(org: MailOrg, to: string, template: K, props: EmailTemplates[K], overrides?: OverrideFields) {
	const brand = emailBrand(org)
	const fields = overrides ?? (await loadOverride(org.id, template))
	return renderEmail(template, props, brand, overrideTexts(template, fields, props, { orgName: brand.orgName, to }))
}

/**
 * For flows whose answer must not depend on whether an address has an account: the response does
 * not wait for rendering and delivery, and a failure is logged rather than shown.
 */
export function sendEmailInBackground<K extends EmailTemplateName>(org: MailOrg, to: string, template: K, props: EmailTemplates[K]) {
	sendEmail(org, to, template, props).catch((error: unknown) => logger.error({ err: error, org: org.id, template }, 'email delivery failed'))
}

/** The dev outbox keeps a week of mail. */
export async function deleteOldOutboxEmails(olderThan = new Date(Date.now() - 7 * 24 * 3_600_000)) {
	const { count } = await db().outboxEmail.deleteMany({ where: { createdAt: { lt: olderThan } } })
	return count
}

/** An absolute link on the org's canonical origin (from the database and config, never from the request). */
export function orgLink(org: Pick<ResolvedOrg, 'origin'>, path: string, query?: Record<string, string>): string {
	const url = new URL(path, org.origin)
	for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value)
	return url.toString()
}
