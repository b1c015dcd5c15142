import { Strategy } from 'remix-auth/strategy'
import { type User } from '../../generated/prisma/client'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { readFormData } from '../../utils/forms.server'
import { emailSchema } from '../users/email'
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from './hash.server'
import { fitsPasswordMaxBytes, normalizePassword } from './policy'

export type FailureReason = 'invalid_input' | 'unknown_email' | 'no_password' | 'wrong_password' | 'disabled'

/** One error for every failure, so callers cannot leak which one it was. `reason` is for the audit log only. */
export class InvalidCredentialsError extends Error {
	constructor(
		readonly reason: FailureReason,
		readonly userId: string | null = null,
	) {
		super('Invalid credentials')
	}
}

/**
 * Checks an email and password within one org. Unknown emails and users without a password
 * still pay for one argon2 verify, so response time does not tell whether an account exists.
 */
export async function verifyCredentials(organizationId: string, email: string, rawPassword: string): Promise<User> {
	const { passwordPepper } = config().secrets
	if (!fitsPasswordMaxBytes(rawPassword)) throw new InvalidCredentialsError('invalid_input')
	const password = normalizePassword(rawPassword)
	const user = await db().user.findUnique({
		where: { organizationId_email: { organizationId, email } },
		include: { password: true },
	})
	if (!user?.password) {
		await dummyVerify(password, passwordPepper)
		throw new InvalidCredentialsError(user ? 'no_password' : 'unknown_email', user?.id ?? null)
	}
	if (!(await verifyPassword(user.password.hash, password, passwordPepper))) {
		throw new InvalidCredentialsError('wrong_password', user.id)
	}
	if (user.disabledAt) throw new InvalidCredentialsError('disabled', user.id)
	if (needsRehash(user.password.hash)) {
		// Parameters changed since this hash was made: upgrade it now that the password is known.
		await db().password.update({ where: { userId: user.id }, data: { hash: await hashPassword(password, passwordPepper) } })
	}
	const { password: _stored, ...rest } = user
	return rest
}

/** remix-auth strategy for the hosted login's password form, bound to the request's org. */
export class PasswordStrategy extends Strategy<User, { email: string; password: string }> {
	name = 'password'

	constructor(org: { id: string }) {
		super(({ email, password }) => verifyCredentials(org.id, email, password))
	}

	async authenticate(request: Request): Promise<User> {
		const form = await readFormData(request)
		const email = emailSchema.safeParse(form.get('email'))
		const password = form.get('password')
		if (!email.success || typeof password !== 'string' || password.length === 0) throw new InvalidCredentialsError('invalid_input')
		return this.verify({ email: email.data, password })
	}
}
