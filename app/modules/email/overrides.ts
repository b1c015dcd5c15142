import { z } from 'zod'
import type { EmailTemplateName } from '../../../emails'

/**
 * What an org may change in its emails and its text message, and the rules a change must pass.
 * Pure (no node, no React): the page's form validates with it in the browser, the server
 * validates with it again before storing, and the mailer re-reads stored overrides through it.
 *
 * - Per template an org may replace the subject, the heading, the intro paragraph and the
 *   button's label (the text message: its body). Everything else is Foyer's: the layout, the
 *   notes on expiry and "if this wasn't you", the button's link, the code box, the footer.
 * - `{{ name }}` inserts a variable (spaces inside the braces are fine); each template offers
 *   only the variables it really has. Any other `{` or `}` is refused, so `{{{code}}}`, `{{`
 *   and `}}}` never half-work.
 * - Links and codes (`{{link}}`, `{{code}}`) may only go in the intro (the text message's body):
 *   never in a subject, a heading or a button, which lock screens, tab titles and mail logs show.
 * - Where a fact is shown nowhere else, a replaced field must still carry it (e.g. the text
 *   message's code, the new address in "email changed"). Links and codes of emails need no such
 *   rule: Foyer's button and code box carry them whatever the wording.
 * - Values are text: they are filled in once (a value that contains `{{code}}` stays literal) and
 *   escaped by whoever renders them.
 */

export const OVERRIDE_FIELDS = ['subject', 'heading', 'intro', 'button', 'body'] as const
export type OverrideField = (typeof OVERRIDE_FIELDS)[number]
export type OverrideFields = Partial<Record<OverrideField, string>>

export const FIELD_LABELS: Record<OverrideField, string> = { subject: 'Subject', heading: 'Heading', intro: 'Intro', button: 'Button label', body: 'Message' }

/** Measured on what the admin types (variables as written). */
export const FIELD_LIMITS: Record<OverrideField, number> = { subject: 120, heading: 100, intro: 600, button: 40, body: 140 }

export const VARIABLES = {
	'org.name': "Your organization's name, as your pages show it",
	'user.email': 'The address the email goes to',
	link: 'The link the button opens',
	code: 'The one-time code',
	expires_in: 'How long the link or code works, e.g. "30 minutes"',
	'inviter.name': 'Who sent the invitation ("Someone" when no name is known)',
	role: 'The role the invitation gives',
	when: 'When it happened, e.g. "Tue, 03 Mar 2026 14:05:00 GMT"',
	device: 'Browser and system, e.g. "Firefox on macOS"',
	ip: 'The IP address it came from',
	codes_left: 'How many backup codes are left',
	old_email: 'The previous email address',
	new_email: 'The new email address',
} as const
export type VariableName = keyof typeof VARIABLES

/** Secrets: only in the intro (or the text message's body). */
const SECRET_VARIABLES: readonly VariableName[] = ['link', 'code']
const SECRET_FIELDS: readonly OverrideField[] = ['intro', 'body']

export type TemplateSpec = {
	label: string
	description: string
	kind: 'email' | 'sms'
	fields: readonly OverrideField[]
	variables: readonly VariableName[]
	/** Variables a field must contain when the org replaces it, each with why. */
	required: Partial<Record<OverrideField, readonly { variable: VariableName; why: string }[]>>
}

const EMAIL_FIELDS = ['subject', 'heading', 'intro', 'button'] as const
const COMMON = ['org.name', 'user.email'] as const

const EMAIL_TEMPLATE_SPECS = {
	'verify-email': {
		label: 'Verify email',
		description: 'A link and a code that confirm an address: after sign-up, or when someone verifies theirs.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'link', 'code', 'expires_in'],
		required: {},
	},
	'reset-password': {
		label: 'Reset password',
		description: 'The link from "Forgot password?".',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'link', 'expires_in'],
		required: {},
	},
	'magic-link': {
		label: 'Sign-in link',
		description: 'The link from "Email me a sign-in link".',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'link', 'expires_in'],
		required: {},
	},
	'sign-in-code': {
		label: 'Sign-in code',
		description: 'The code from "Email me a code". It has no button: the code is the action.',
		kind: 'email',
		fields: ['subject', 'heading', 'intro'],
		variables: [...COMMON, 'code', 'expires_in'],
		required: {},
	},
	'email-change-requested': {
		label: 'Confirm a new address',
		description: 'Sent to the new address when someone changes their email.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'link', 'expires_in'],
		required: {},
	},
	'email-changed': {
		label: 'Email changed',
		description: 'Sent to the old address once an email change is made.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'old_email', 'new_email'],
		required: { intro: [{ variable: 'new_email', why: 'the old address must learn where the account now gets its mail' }] },
	},
	'password-changed': {
		label: 'Password changed',
		description: 'Sent after every password change.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'when'],
		required: { intro: [{ variable: 'when', why: 'the owner needs the time to tell whether it was them' }] },
	},
	'new-sign-in': {
		label: 'New sign-in',
		description: 'Sent when a browser never seen before signs in (the "Email on sign-in from a new browser" setting).',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'when', 'device', 'ip'],
		required: {},
	},
	'invitation': {
		label: 'Invitation',
		description: 'An invitation to join the organization.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'link', 'inviter.name', 'role', 'expires_in'],
		required: { intro: [{ variable: 'role', why: 'whoever accepts must know which role they get' }] },
	},
	'account-exists': {
		label: 'Account exists',
		description: 'Sent instead of a verification email when someone signs up with an address that already has an account.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON],
		required: {},
	},
	'backup-code-used': {
		label: 'Backup code used',
		description: 'Sent every time a backup code is used to sign in.',
		kind: 'email',
		fields: EMAIL_FIELDS,
		variables: [...COMMON, 'when', 'codes_left'],
		required: { intro: [{ variable: 'codes_left', why: 'the owner must know how many codes are left' }] },
	},
} as const satisfies Record<EmailTemplateName, TemplateSpec>

export const SMS_TEMPLATE = 'sms-code'

export const TEMPLATE_SPECS = {
	...EMAIL_TEMPLATE_SPECS,
	[SMS_TEMPLATE]: {
		label: 'Text message code',
		description: 'The text with a sign-in or phone verification code. Foyer adds a last line (@your-host #code) so phones can offer the code on your sign-in page only.',
		kind: 'sms',
		fields: ['body'],
		variables: ['org.name', 'code'],
		required: { body: [{ variable: 'code', why: 'the message exists to carry it' }] },
	},
} as const satisfies Record<string, TemplateSpec>

export type OverrideTemplate = keyof typeof TEMPLATE_SPECS
export const OVERRIDE_TEMPLATES = Object.keys(TEMPLATE_SPECS) as OverrideTemplate[]

export function isOverrideTemplate(value: string): value is OverrideTemplate {
	return Object.hasOwn(TEMPLATE_SPECS, value)
}

export function templateSpec(template: OverrideTemplate): TemplateSpec {
	return TEMPLATE_SPECS[template]
}

/** `{{ name }}`: braces, optional spaces, the name. Anything else between double braces is refused. */
const TOKEN = /\{\{([^{}]*)\}\}/g
const NAME = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/
/** C0/C1 controls and the bidirectional overrides that make a subject read differently than it is. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

/** What is stored: runs of whitespace (a line break typed in the intro) become one space. */
export function normalizeFieldValue(value: string): string {
	return value.replace(/\s+/g, ' ').trim()
}

const wrap = (name: string) => `{{${name}}}`

/**
 * Why a value may not go in this field of this template, or [] when it may. Each message names
 * the field and, where one is at fault, the variable.
 */
export function fieldProblems(template: OverrideTemplate, field: OverrideField, raw: string): string[] {
	const spec = templateSpec(template)
	const label = FIELD_LABELS[field]
	const value = normalizeFieldValue(raw)
	if (value === '') return []
	if (!spec.fields.includes(field)) return [`${spec.label} has no ${label.toLowerCase()} to change.`]
	const problems: string[] = []
	if (value.length > FIELD_LIMITS[field]) problems.push(`${label}: at most ${FIELD_LIMITS[field]} characters.`)
	if (CONTROL.test(value)) problems.push(`${label}: no control characters.`)
	const used = new Set<string>()
	for (const match of value.matchAll(TOKEN)) {
		const name = match[1]!.trim()
		if (!NAME.test(name)) {
			problems.push(`${label}: ${match[0]} is not a variable. Variables look like {{org.name}}.`)
			continue
		}
		used.add(name)
		if (!(spec.variables as readonly string[]).includes(name)) {
			problems.push(`${label}: unknown variable ${wrap(name)}. This template has ${spec.variables.map(wrap).join(', ')}.`)
		} else if (SECRET_VARIABLES.includes(name as VariableName) && !SECRET_FIELDS.includes(field)) {
			problems.push(`${label}: ${wrap(name)} can only go in the intro. Links and codes never go in subjects, headings or buttons (lock screens and mail logs show them).`)
		}
	}
	if (/[{}]/.test(value.replace(TOKEN, ''))) problems.push(`${label}: a { or } that is not part of a variable. Write variables as {{org.name}}, with two braces on each side.`)
	for (const { variable, why } of spec.required[field] ?? []) {
		if (!used.has(variable)) problems.push(`${label} must contain ${wrap(variable)}: ${why}.`)
	}
	return problems
}

/** Every field's problems; empty when the whole set may be stored. */
export function overrideProblems(template: OverrideTemplate, fields: OverrideFields): Partial<Record<OverrideField, string[]>> {
	const problems: Partial<Record<OverrideField, string[]>> = {}
	for (const field of OVERRIDE_FIELDS) {
		const value = fields[field]
		if (value === undefined) continue
		const found = fieldProblems(template, field, value)
		if (found.length) problems[field] = found
	}
	return problems
}

/**
 * A stored override as the mailer may use it: only the template's fields, each still passing
 * today's rules. A field that no longer does (a template lost a variable in an upgrade) falls
 * back to Foyer's wording rather than sending something broken.
 */
export function usableOverride(template: OverrideTemplate, stored: unknown): OverrideFields {
	if (!stored || typeof stored !== 'object') return {}
	const usable: OverrideFields = {}
	for (const field of templateSpec(template).fields) {
		const value = (stored as Record<string, unknown>)[field]
		if (typeof value !== 'string') continue
		const normalized = normalizeFieldValue(value)
		if (normalized && fieldProblems(template, field, normalized).length === 0) usable[field] = normalized
	}
	return usable
}

/**
 * Fills in the variables, once: a value is never scanned again, so an inviter named `{{code}}`
 * stays that text. The result is plain text for the renderer to escape.
 */
export function fillVariables(value: string, values: Partial<Record<VariableName, string>>): string {
	return value.replace(TOKEN, (_match, inner: string) => values[inner.trim() as VariableName] ?? '')
}

/** The form: one optional text per field of the template, checked with the rules above. */
export function overrideFormSchema(template: OverrideTemplate) {
	const text = z
		.string()
		.optional()
		.transform((value) => (value === undefined ? undefined : normalizeFieldValue(value) || undefined))
	return z
		.object({ subject: text, heading: text, intro: text, button: text, body: text })
		.superRefine((fields, context) => {
			for (const [field, messages] of Object.entries(overrideProblems(template, fields))) {
				for (const message of messages) context.addIssue({ code: 'custom', path: [field], message })
			}
		})
		.transform((fields) => Object.fromEntries(Object.entries(fields).filter(([field, value]) => value !== undefined && templateSpec(template).fields.includes(field as OverrideField))) as OverrideFields)
}

/** Where each variable may go in this template's fields, for the form's hints. */
export function variablesFor(template: OverrideTemplate, field: OverrideField): VariableName[] {
	const spec = templateSpec(template)
	return spec.variables.filter((name) => SECRET_FIELDS.includes(field) || !SECRET_VARIABLES.includes(name))
}
