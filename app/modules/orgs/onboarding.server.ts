import { type Organization } from '../../generated/prisma/client'
import { db, isUniqueViolation } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { inviteUser } from '../invitations/invitations.server'
import { generateSigningKey, storeSigningKey } from '../oidc/keys.server'
import { hostConfigFromEnv } from './directory.server'
import { OrgSlugTakenError } from './orgs.server'
import { toResolvedOrg } from './resolve.server'
import { onboardSchema, type OnboardInput } from './onboard-form'
import { createOrgSchema } from './schema'

/**
 * Onboarding from the operator console: the org as `foyer orgs create` makes it (same schema,
 * a signing key, `org.created`), that event also in the operator org's log, then the first
 * admin invited as `owner`. The admin's address is checked before anything is written; the org
 * and its two events are one transaction, the invitation (its own transaction and email) follows.
 */
export type OnboardResult = { org: Organization; invited: true } | { org: Organization; invited: false; message: string }

export async function onboardOrg(input: OnboardInput, context: AuditContext & { operatorOrgId: string }): Promise<OnboardResult> {
	const { operatorOrgId, ...audit } = context
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
	const invite = await inviteOwner(org, adminEmail, audit)
	return invite.ok ? { org, invited: true } : { org, invited: false, message: invite.message }
}

/**
 * Invites `email` as an owner of `org` (onboarding, and again from the org's page when the first
 * invitation was lost). A failure to send is reported, not thrown: the org exists either way.
 */
export async function inviteOwner(org: Organization, email: string, audit: AuditContext): Promise<{ ok: true } | { ok: false; message: string }> {
	try {
		const invite = await inviteUser({ org: toResolvedOrg(org, hostConfigFromEnv()), ...audit }, { email, role: 'owner', invitedById: null })
		return invite.ok ? { ok: true } : { ok: false, message: invite.message }
	} catch (error) {
		logger.error({ err: error, org: org.id }, 'inviting an owner of an org failed')
		return { ok: false, message: 'The invitation email could not be sent.' }
	}
}
