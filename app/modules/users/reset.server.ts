import { type Tx } from '../../utils/db.server'
import { deleteUserProviderSessions } from '../oidc/grants.server'
import { endUserSignIns } from '../sessions/end-sign-ins.server'

/** Removes every second factor of a user: authenticator app, passkeys, phone, backup codes. */
export async function deleteSecondFactors(tx: Tx, organizationId: string, userId: string) {
	const where = { userId, organizationId }
	const totp = await tx.totpFactor.deleteMany({ where })
	const passkeys = await tx.passkey.deleteMany({ where })
	const phone = await tx.phoneFactor.deleteMany({ where })
	const backupCodes = await tx.backupCode.deleteMany({ where })
	return { totp: totp.count, passkeys: passkeys.count, phone: phone.count, backupCodes: backupCodes.count }
}

/**
 * Empties an account nobody proved they own (its address was never verified), before the person
 * who did prove the address takes it: whoever signed it up loses every way in and everything they
 * set up to get back in. Password, second factors, sessions, apps' grants and tokens, the OIDC
 * provider's sessions, and every pending link or code of the account go; the row (its id, teams,
 * history) stays. Returns what went, for the audit event.
 */
export async function wipeUnclaimedAccount(tx: Tx, organizationId: string, userId: string) {
	const password = await tx.password.deleteMany({ where: { userId } })
	const factors = await deleteSecondFactors(tx, organizationId, userId)
	const { sessionsRevoked: sessions, grantsRevoked: grants } = await endUserSignIns(tx, { organizationId, userId })
	const oidcSessions = await deleteUserProviderSessions(tx, organizationId, userId)
	const verifications = await tx.verification.updateMany({ where: { organizationId, userId, consumedAt: null }, data: { consumedAt: new Date() } })
	return { password: password.count > 0, ...factors, sessions, grants, oidcSessions, verifications: verifications.count }
}
