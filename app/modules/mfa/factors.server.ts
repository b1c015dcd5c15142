import { db } from '../../utils/db.server'
import { type UserFactors } from './policy'

/** What the user has set up: one round trip (every sign-in asks), four indexed lookups. */
export async function loadUserFactors(userId: string): Promise<UserFactors> {
	const [row] = await db().$queryRaw<{ totp: boolean; passkeys: number; phone: string | null; backupCodesLeft: number }[]>`
		SELECT
			EXISTS (SELECT 1 FROM "TotpFactor" WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL) AS totp,
			(SELECT count(*)::int FROM "Passkey" WHERE "userId" = ${userId}) AS passkeys,
			(SELECT "phoneNumber" FROM "PhoneFactor" WHERE "userId" = ${userId} AND "verifiedAt" IS NOT NULL) AS phone,
			(SELECT count(*)::int FROM "BackupCode" WHERE "userId" = ${userId} AND "usedAt" IS NULL) AS "backupCodesLeft"`
	return { totp: row?.totp ?? false, passkeys: row?.passkeys ?? 0, phone: row?.phone ?? null, backupCodesLeft: row?.backupCodesLeft ?? 0 }
}
