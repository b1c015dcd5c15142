import { type Organization } from '../../generated/prisma/client'
import { db, isUniqueViolation } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { inviteUser } from '../invitations/invitations.server'
import { generateSigningKey, storeSigningKey } from '../oidc/keys.server'
import { type Permissions } from '../permissions/statements'
import { hostConfigFromEnv } from './directory.server'
import { OrgSlugTakenError } from './orgs.server'
import { loadResolvedOrg, toResolvedOrg } from './resolve.server'
import { onboardSchema, type OnboardInput } from './onboard-form'
import { createOrgSchema } from './schema'

/**
 * Onboarding from the operator console: the org as `foyer orgs create` makes it (same schema,
 * a signing key, `org.created`), that event also in the operator org's log, then the first
 * admin invited as `owner`. The admin's address is checked before anything is written; the org
 * and its two events are one transaction, the invitation (its own transaction and email) follows.
 */
export type OnboardResult = { org: Organization; invited: true } | { org: Organization; invited: false; message: string }

/** The operator doing it (a user of the operator org): recorded as the invitation's sender, and checked again when it is accepted. */
export type Operator = { id: string; permissions: Permissions }

export async function onboardOrg(input: OnboardInput, context: AuditContext & { operatorOrgId: string; operator: Operator }): Promise<OnboardResult> {
	const { operatorOrgId, operator, ...audit } = context
	const { adminEmail, ...fields } = onboardSchema.parse(input)
	const data = createOrgSchema.parse(fields)
	const key = await generateSigningKey()
	let org: Organization
	try {
		org = await db().$transaction(async (tx) => {
			const created = await tx.organization.create({ data: { ...data, isOperator: false } })
			await storeSigningKey(tx, created.id, key)
			const event = { type: 'org.created', targetType: 'organization', targetId: created.id, data: { slug: created.slug, name: created.name, adminEmail }, ...audit }
			await recordAuditEvent(tx, { organizationId: created.id, ...event })
			await recordAuditEvent(tx, { organizationId: operatorOrgId, ...event })
			return created
		})
	} catch (error) {
		if (isUniqueViolation(error)) throw new OrgSlugTakenError(data.slug)
		throw error
	}
	const invite = await inviteOwner(org, adminEmail, audit, operator)
	return invite.ok ? { org, invited: true } : { org, invited: false, message: invite.message }
}

/**
 * Invites `email` as an owner of `org` (onboarding, and again from the org's page when the first
 * invitation was lost). A failure to send is reported, not thrown: the org exists either way.
 */
export async function inviteOwner(org: Organization, email: string, audit: AuditContext, operator: Operator): Promise<{ ok: true } | { ok: false; message: string }> {
	try {
		// Read afresh as its own host resolves it: the invitation links to its canonical host and wears its published branding.
		const target = (await loadResolvedOrg(org.id, hostConfigFromEnv())) ?? toResolvedOrg(org, hostConfigFromEnv())
		const by = { kind: 'operator' as const, org: target, id: operator.id, permissions: operator.permissions }
		const invite = await inviteUser({ org: target, ...audit }, { email, role: 'owner', by })
		return invite.ok ? { ok: true } : { ok: false, message: invite.message }
	} catch (error) {
		logger.error({ err: error, org: org.id }, 'inviting an owner of an org failed')
		return { ok: false, message: 'The invitation email could not be sent.' }
	}
}
