import { db } from '../../utils/db.server'
import { type UserFactors } from './policy'

/** What the user has set up: one round trip of four small indexed counts. */
export async function loadUserFactors(userId: string): Promise<UserFactors> {
	const [totp, passkeys, phone, backupCodesLeft] = await Promise.all([
		db().totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
		db().passkey.count({ where: { userId } }),
		db().phoneFactor.findUnique({ where: { userId }, select: { phoneNumber: true, verifiedAt: true } }),
		db().backupCode.count({ where: { userId, usedAt: null } }),
	])
	return { totp: Boolean(totp?.confirmedAt), passkeys, phone: phone?.verifiedAt ? phone.phoneNumber : null, backupCodesLeft }
}
