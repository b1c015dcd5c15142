import { type Organization } from '../../generated/prisma/client'
import { db, isUniqueViolation } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { generateSigningKey, storeSigningKey } from '../oidc/keys.server'
import { createOperatorOrgSchema, createOrgSchema, type CreateOrgInput } from './schema'

export class OrgSlugTakenError extends Error {
	constructor(slug: string) {
		super(`An organization with slug "${slug}" already exists`)
	}
}

/**
 * Creates an org with its first signing key and an `org.created` audit event, in one transaction.
 * Input is parsed here too, so the CLI, the consoles and the API share one set of rules.
 */
export async function createOrg(input: CreateOrgInput, context: AuditContext & { isOperator?: boolean } = {}): Promise<Organization> {
	const data = (context.isOperator ? createOperatorOrgSchema : createOrgSchema).parse(input)
	const key = await generateSigningKey()
	try {
		return await db().$transaction(async (tx) => {
			const org = await tx.organization.create({ data: { ...data, isOperator: context.isOperator ?? false } })
			await storeSigningKey(tx, org.id, key)
			await recordAuditEvent(tx, {
				organizationId: org.id,
				type: 'org.created',
				targetType: 'organization',
				targetId: org.id,
				data: { slug: org.slug, name: org.name },
				...context,
			})
			return org
		})
	} catch (error) {
		if (isUniqueViolation(error)) throw new OrgSlugTakenError(data.slug)
		throw error
	}
}

export function listOrgs() {
	return db().organization.findMany({ orderBy: { createdAt: 'asc' } })
}

export function findOrgBySlug(slug: string) {
	return db().organization.findUnique({ where: { slug } })
}

