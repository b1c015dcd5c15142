import { type User } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { db, type Tx, isUniqueViolation } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { hashPassword } from '../passwords/hash.server'

export const ROLES = ['owner', 'admin', 'member'] as const
export type Role = (typeof ROLES)[number]

export class EmailTakenError extends Error {
	constructor() {
		super('An account with this email already exists')
	}
}


/**
 * Creates a user (and their password, when given) with a `user.created` audit event in one
 * transaction: a failure anywhere leaves no half-written user behind. The password must already
 * have passed the org's policy (checkPassword). The argon2 hash is computed before the
 * transaction opens so no connection is held during the ~50 ms of hashing.
 */
export async function createUser(
	input: { organizationId: string; email: string; password?: string; /** A built-in role or the name of one of the org's custom roles (the caller checks it exists). */ role?: Role | (string & {}); name?: string },
	context: AuditContext & { auditType?: string } = {},
	then?: (tx: Tx, user: User) => Promise<void>,
): Promise<User> {
	const hash = input.password === undefined ? undefined : await hashPassword(input.password, config().secrets.passwordPepper)
	try {
		return await db().$transaction(async (tx) => {
			const user = await tx.user.create({
				data: {
					organizationId: input.organizationId,
					email: input.email,
					role: input.role ?? 'member',
					name: input.name,
					password: hash ? { create: { hash } } : undefined,
				},
			})
			await recordAuditEvent(tx, {
				organizationId: input.organizationId,
				type: context.auditType ?? 'user.created',
				actorId: context.actorId ?? user.id,
				ip: context.ip,
				userAgent: context.userAgent,
				targetType: 'user',
				targetId: user.id,
				data: { email: user.email, role: user.role },
			})
			await then?.(tx, user)
			return user
		})
	} catch (error) {
		if (isUniqueViolation(error)) throw new EmailTakenError()
		throw error
	}
}
