import { announceChange } from '../../utils/changes.server'
import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { forgetOrg } from './resolve.server'
import { effectiveSenderAddress, parseSenderDomains } from './sender'
import { senderRulesFor } from './settings.server'
import { type OrgSettings } from './settings'

/**
 * The domains an org may send email from (sender.ts has the rule). Only operators write them (the
 * operator console's org page and `foyer orgs set-sender-domains`); they live in their own column,
 * not among the org's settings, so nothing an org admin can save reaches them.
 */
export class SenderDomainsError extends Error {
	constructor(readonly errors: string[]) {
		super(errors.join('; '))
	}
}

/** The From address of the org's email now: its own when still allowed, else the platform's. */
export function senderAddressFor(org: { settings: Pick<OrgSettings, 'emailSenderAddress'>; senderDomains?: readonly string[] }): string {
	return effectiveSenderAddress(org.settings.emailSenderAddress, senderRulesFor({ senderDomains: org.senderDomains ?? [] }))
}

/**
 * Replaces an org's sender domains. Audited in the org's log and the operator org's, in the same
 * transaction; the same set again writes nothing. Every server forgets the org at once, so mail
 * stops coming from a removed domain on the next message.
 */
export async function setSenderDomains(organizationId: string, input: string | readonly string[], context: AuditContext & { operatorOrgId: string | null }) {
	const parsed = parseSenderDomains(input)
	if (!parsed.ok) throw new SenderDomainsError(parsed.errors)
	const { operatorOrgId, ...audit } = context
	const result = await db().$transaction(async (tx) => {
		const [row] = await tx.$queryRaw<{ senderDomains: string[] | null; slug: string }[]>`SELECT "senderDomains", slug FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`
		if (!row) throw new SenderDomainsError(['No such organization.'])
		const from = row.senderDomains ?? []
		if (from.join(' ') === parsed.domains.join(' ')) return { senderDomains: parsed.domains, changed: false }
		await tx.organization.update({ where: { id: organizationId }, data: { senderDomains: parsed.domains } })
		const event = { type: 'org.sender_domains_changed', targetType: 'organization', targetId: organizationId, data: { slug: row.slug, from, to: parsed.domains }, ...audit }
		await recordAuditEvent(tx, { organizationId, ...event })
		if (operatorOrgId && operatorOrgId !== organizationId) await recordAuditEvent(tx, { organizationId: operatorOrgId, ...event })
		return { senderDomains: parsed.domains, changed: true }
	})
	if (result.changed) {
		forgetOrg(organizationId)
		await announceChange({ type: 'org', id: organizationId })
	}
	return result
}
