import { duration, plural } from '../../../emails/layout'
import { type EmailTemplateName, type EmailTemplates, type EmailTexts } from '../../../emails'
import { type Prisma } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import {
	fillVariables,
	normalizeFieldValue,
	overrideProblems,
	templateSpec,
	usableOverride,
	type OverrideField,
	type OverrideFields,
	type OverrideTemplate,
	type VariableName,
} from './overrides'

/**
 * An org's overrides of its emails' and text message's wording (rules: overrides.ts), stored
 * one row per template in EmailOverride. Every save and reset is audited in its transaction;
 * the mailer reads the row at each send, so a change applies to the next message.
 */

export class OverrideError extends Error {
	constructor(readonly problems: Partial<Record<OverrideField, string[]>>) {
		super(Object.values(problems).flat().join(' '))
	}
}

type Values = Partial<Record<VariableName, string>>

/** What each email's variables stand for, from the props the flow sends it with. */
const VALUES: { [K in EmailTemplateName]: (props: EmailTemplates[K]) => Values } = {
	'verify-email': (props) => ({ link: props.url, code: props.code, expires_in: duration(props.expiresInMinutes) }),
	'reset-password': (props) => ({ link: props.url, expires_in: duration(props.expiresInMinutes) }),
	'magic-link': (props) => ({ link: props.url, expires_in: duration(props.expiresInMinutes) }),
	'sign-in-code': (props) => ({ code: props.code, expires_in: duration(props.expiresInMinutes) }),
	'email-change-requested': (props) => ({ link: props.url, expires_in: duration(props.expiresInMinutes) }),
	'email-changed': (props) => ({ old_email: props.oldEmail, new_email: props.newEmail }),
	'password-changed': (props) => ({ when: props.when }),
	'new-sign-in': (props) => ({ when: props.when, device: props.device, ip: props.ip }),
	'invitation': (props) => ({ link: props.url, 'inviter.name': props.inviterName ?? 'Someone', role: props.role, expires_in: plural(props.expiresInDays, 'day') }),
	'account-exists': () => ({}),
	'backup-code-used': (props) => ({ when: props.when, codes_left: String(props.left) }),
}

/**
 * An override filled in for one message: plain text per part, for renderEmail to escape. Only
 * the template's own variables get a value (the rules refused any other on save).
 */
export function overrideTexts<K extends EmailTemplateName>(template: K, fields: OverrideFields, props: EmailTemplates[K], recipient: { orgName: string; to: string }): Partial<EmailTexts> {
	const values: Values = { 'org.name': recipient.orgName, 'user.email': recipient.to, ...VALUES[template](props) }
	const texts: Partial<EmailTexts> = {}
	for (const part of ['subject', 'heading', 'intro', 'button'] as const) {
		const value = fields[part]
		if (value) texts[part] = fillVariables(value, values)
	}
	return texts
}

/** The text message's body with the org's override filled in, or undefined for Foyer's own. */
export function smsBodyText(fields: OverrideFields, values: { orgName: string; code: string }): string | undefined {
	return fields.body ? fillVariables(fields.body, { 'org.name': values.orgName, code: values.code }) : undefined
}

/** The override the mailer applies: what still passes today's rules (overrides.ts, usableOverride). */
export async function loadOverride(organizationId: string, template: OverrideTemplate): Promise<OverrideFields> {
	const row = await db().emailOverride.findUnique({ where: { organizationId_template: { organizationId, template } }, select: { fields: true } })
	if (!row) return {}
	const usable = usableOverride(template, row.fields)
	if (Object.keys(usable).length < Object.keys(row.fields as object).length) {
		logger.warn({ org: organizationId, template }, 'a stored email override no longer passes the rules; its failing fields use the default wording')
	}
	return usable
}

/** The org's overrides as stored, by template (the list page). */
export async function listOverrides(organizationId: string): Promise<Map<OverrideTemplate, { fields: OverrideFields; updatedAt: Date }>> {
	const rows = await db().emailOverride.findMany({ where: { organizationId }, select: { template: true, fields: true, updatedAt: true } })
	return new Map(rows.map((row) => [row.template as OverrideTemplate, { fields: storedFields(row.fields), updatedAt: row.updatedAt }]))
}

/** The stored override as the form shows it (even a field that no longer passes, so the admin sees and fixes it). */
export async function storedOverride(organizationId: string, template: OverrideTemplate): Promise<OverrideFields> {
	const row = await db().emailOverride.findUnique({ where: { organizationId_template: { organizationId, template } }, select: { fields: true } })
	return row ? storedFields(row.fields) : {}
}

function storedFields(stored: unknown): OverrideFields {
	if (!stored || typeof stored !== 'object') return {}
	return Object.fromEntries(Object.entries(stored).filter(([, value]) => typeof value === 'string')) as OverrideFields
}

/** Only the template's fields, normalized, empty ones left out (an empty field means Foyer's wording). */
function cleanFields(template: OverrideTemplate, input: OverrideFields): OverrideFields {
	const clean: OverrideFields = {}
	for (const field of templateSpec(template).fields) {
		const value = input[field] === undefined ? '' : normalizeFieldValue(input[field])
		if (value) clean[field] = value
	}
	return clean
}

const sameFields = (a: OverrideFields, b: OverrideFields) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())

/**
 * Stores an org's override of one template, checked against the rules first (OverrideError:
 * nothing stored). Saving every field empty is a reset; saving what is already stored changes
 * nothing and records nothing.
 */
export async function saveOverride(organizationId: string, template: OverrideTemplate, input: OverrideFields, audit: AuditContext): Promise<'saved' | 'unchanged' | 'reset'> {
	const problems = overrideProblems(template, input)
	if (Object.keys(problems).length) throw new OverrideError(problems)
	const fields = cleanFields(template, input)
	if (Object.keys(fields).length === 0) {
		await resetOverride(organizationId, template, audit)
		return 'reset'
	}
	return db().$transaction(async (tx) => {
		const existing = await tx.emailOverride.findUnique({ where: { organizationId_template: { organizationId, template } }, select: { fields: true } })
		const previous = existing ? storedFields(existing.fields) : {}
		if (existing && sameFields(previous, fields)) return 'unchanged' as const
		const json = fields as Prisma.InputJsonObject
		await tx.emailOverride.upsert({
			where: { organizationId_template: { organizationId, template } },
			create: { organizationId, template, fields: json, updatedById: audit.actorId ?? null },
			update: { fields: json, updatedById: audit.actorId ?? null },
		})
		await recordAuditEvent(tx, { ...audit, organizationId, type: 'email.override_saved', targetType: 'email_template', targetId: template, data: { template, fields, previous } })
		return 'saved' as const
	})
}

/** Back to Foyer's wording for this template. False when there was nothing to reset (and nothing is recorded). */
export async function resetOverride(organizationId: string, template: OverrideTemplate, audit: AuditContext): Promise<boolean> {
	return db().$transaction(async (tx) => {
		const existing = await tx.emailOverride.findUnique({ where: { organizationId_template: { organizationId, template } }, select: { id: true, fields: true } })
		// Reset by someone else meanwhile: the outcome asked for, recorded once.
		if (!existing || (await tx.emailOverride.deleteMany({ where: { id: existing.id } })).count === 0) return false
		await recordAuditEvent(tx, { ...audit, organizationId, type: 'email.override_reset', targetType: 'email_template', targetId: template, data: { template, previous: storedFields(existing.fields) } })
		return true
	})
}
