import { config } from '../../utils/config.server'
import { keyedHash } from '../../utils/crypto.server'
import { newBackupCodes, normalizeBackupCode } from './backup-codes'
import { type Tx } from '../../utils/db.server'


/** Keyed and bound to the user: a leaked table cannot be searched offline, nor a hash moved to another account. */
const hashOf = (userId: string, normalized: string) => keyedHash(`${userId}:${normalized}`, config().secrets.secretKey, 'backup-code')

/** A new set replaces the old one (used or not); the codes are returned once and never stored. */
export async function regenerateBackupCodes(tx: Tx, user: { id: string; organizationId: string }): Promise<string[]> {
	const codes = newBackupCodes()
	await tx.backupCode.deleteMany({ where: { userId: user.id } })
	await tx.backupCode.createMany({
		data: codes.map((code) => ({ userId: user.id, organizationId: user.organizationId, codeHash: hashOf(user.id, normalizeBackupCode(code)!) })),
	})
	return codes
}

/** Uses a code once (one atomic update); returns how many are left, or null when it is not a live code. */
export async function consumeBackupCode(tx: Tx, userId: string, raw: string): Promise<{ left: number } | null> {
	const normalized = normalizeBackupCode(raw)
	if (!normalized) return null
	const { count } = await tx.backupCode.updateMany({ where: { userId, codeHash: hashOf(userId, normalized), usedAt: null }, data: { usedAt: new Date() } })
	if (count !== 1) return null
	return { left: await tx.backupCode.count({ where: { userId, usedAt: null } }) }
}

export async function deleteBackupCodes(tx: Tx, userId: string) {
	await tx.backupCode.deleteMany({ where: { userId } })
}
