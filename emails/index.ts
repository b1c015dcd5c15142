import { render, toPlainText } from '@react-email/render'
import { createElement, type Attributes, type ReactElement } from 'react'
import * as accountExists from './account-exists'
import * as backupCodeUsed from './backup-code-used'
import * as emailChangeRequested from './email-change-requested'
import * as emailChanged from './email-changed'
import * as invitation from './invitation'
import type { EmailBrand, EmailTexts } from './layout'
import * as magicLink from './magic-link'
import * as newSignIn from './new-sign-in'
import * as passwordChanged from './password-changed'
import * as resetPassword from './reset-password'
import * as signInCode from './sign-in-code'
import * as verifyEmail from './verify-email'

export type { EmailBrand, EmailTexts } from './layout'

export type EmailMessage = { subject: string; html: string; text: string }

/** Each template's own props; `renderEmail` adds the brand. */
export type EmailTemplates = {
	'verify-email': verifyEmail.VerifyEmailProps
	'reset-password': resetPassword.ResetPasswordProps
	'magic-link': magicLink.MagicLinkProps
	'sign-in-code': signInCode.SignInCodeProps
	'email-changed': emailChanged.EmailChangedProps
	'email-change-requested': emailChangeRequested.EmailChangeRequestedProps
	'password-changed': passwordChanged.PasswordChangedProps
	'new-sign-in': newSignIn.NewSignInProps
	'invitation': invitation.InvitationProps
	'account-exists': accountExists.AccountExistsProps
	'backup-code-used': backupCodeUsed.BackupCodeUsedProps
}

export type EmailTemplateName = keyof EmailTemplates

type Template<P> = {
	default: (props: P & { brand: EmailBrand; texts: EmailTexts }) => ReactElement
	/** Foyer's own wording of the parts an org may replace (layout.tsx, EmailTexts). */
	texts: (props: P & { brand: EmailBrand }) => EmailTexts
}

export const EMAIL_TEMPLATE_NAMES = [
	'verify-email',
	'reset-password',
	'magic-link',
	'sign-in-code',
	'email-change-requested',
	'email-changed',
	'password-changed',
	'new-sign-in',
	'invitation',
	'account-exists',
	'backup-code-used',
] as const satisfies readonly EmailTemplateName[]

const templates: { [K in EmailTemplateName]: Template<EmailTemplates[K]> } = {
	'verify-email': verifyEmail,
	'reset-password': resetPassword,
	'magic-link': magicLink,
	'sign-in-code': signInCode,
	'email-changed': emailChanged,
	'email-change-requested': emailChangeRequested,
	'password-changed': passwordChanged,
	'new-sign-in': newSignIn,
	'invitation': invitation,
	'account-exists': accountExists,
	'backup-code-used': backupCodeUsed,
}

/** html-to-text upper-cases headings by default; these emails read better as written. */
const plainTextOptions = { selectors: [{ selector: 'h1', options: { uppercase: false } }] }

/** Foyer's default wording of a template's replaceable parts, for these props and this brand. */
export function defaultTexts<K extends EmailTemplateName>(name: K, props: EmailTemplates[K], brand: EmailBrand): EmailTexts {
	const template = templates[name] as Template<EmailTemplates[K]>
	return template.texts({ ...props, brand })
}

/**
 * One email, ready for the mailer: HTML plus a plain-text part carrying the same links and
 * codes, for clients (and readers) that do not show HTML. `texts` replaces Foyer's wording part
 * by part (an org's overrides, already filled in): plain text, which React escapes like any
 * other value; a part left out or empty keeps the default.
 */
export async function renderEmail<K extends EmailTemplateName>(name: K, props: EmailTemplates[K], brand: EmailBrand, texts: Partial<EmailTexts> = {}): Promise<EmailMessage> {
	const template = templates[name] as Template<EmailTemplates[K]>
	const chosen = { ...template.texts({ ...props, brand }) }
	for (const part of ['subject', 'heading', 'intro', 'button'] as const) {
		const value = texts[part]?.trim()
		// A template without a button takes no label for one.
		if (value && chosen[part] !== undefined) chosen[part] = value
	}
	// TypeScript cannot see that a generic props type never carries `key`; none of them do.
	const all = { ...props, brand, texts: chosen } as Attributes & EmailTemplates[K] & { brand: EmailBrand; texts: EmailTexts }
	const html = await render(createElement(template.default, all))
	const text = toPlainText(html, plainTextOptions)
		.replace(/[ \t]+$/gm, '')
		.replace(/\n{3,}/g, '\n\n')
		.trim()
	// An org name is admin-typed; a line break in it must not reach a mail header.
	const subject = chosen.subject.replace(/\s+/g, ' ').trim()
	return { subject, html, text }
}
