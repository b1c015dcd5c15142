import QRCode from 'qrcode'
import { config } from '../../utils/config.server'
import { decrypt, encrypt } from '../../utils/crypto.server'
import { db, type Tx } from '../../utils/db.server'
import { checkTotpCode, newTotpSecret, totpUri, type TotpCheck } from './totp'


const PURPOSE = 'totp-secret'
const seal = (secret: string) => encrypt(secret, config().secrets.secretKey, PURPOSE)
const open = (sealed: string) => decrypt(sealed, config().secrets.secretKey, PURPOSE)

/**
 * Starts (or restarts) enrolment: a new secret, stored encrypted and unconfirmed. A confirmed
 * authenticator must be removed first, so enrolling never silently replaces a working one.
 */
export async function startTotpEnrolment(user: { id: string; organizationId: string }): Promise<'started' | 'already-enrolled'> {
	const existing = await db().totpFactor.findUnique({ where: { userId: user.id } })
	if (existing?.confirmedAt) return 'already-enrolled'
	const secretEncrypted = seal(newTotpSecret())
	await db().totpFactor.upsert({
		where: { userId: user.id },
		create: { userId: user.id, organizationId: user.organizationId, secretEncrypted },
		update: { secretEncrypted, lastUsedStep: null, createdAt: new Date() },
	})
	return 'started'
}

/** The pending enrolment's secret, its URI and a QR code of it (a PNG data URL, made on the server). */
export async function pendingTotpEnrolment(userId: string, issuer: string, account: string) {
	const row = await db().totpFactor.findUnique({ where: { userId } })
	if (!row || row.confirmedAt) return null
	const secret = open(row.secretEncrypted)
	const uri = totpUri(secret, issuer, account)
	const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 220 })
	return { secret, uri, qrDataUrl }
}

/**
 * Checks a code and, in the same statement that records its time step, refuses a step already
 * used: of two concurrent requests with one code, exactly one wins.
 */
async function spendCode(tx: Tx, userId: string, code: string, state: 'pending' | 'confirmed'): Promise<TotpCheck> {
	const row = await tx.totpFactor.findUnique({ where: { userId } })
	if (!row || (state === 'confirmed') !== Boolean(row.confirmedAt)) return { ok: false, reason: 'invalid' }
	const checked = await checkTotpCode(open(row.secretEncrypted), code, { lastUsedStep: row.lastUsedStep })
	if (!checked.ok) return checked
	const { count } = await tx.totpFactor.updateMany({
		where: { userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: checked.step } }] },
		data: { lastUsedStep: checked.step, ...(state === 'pending' ? { confirmedAt: new Date() } : {}) },
	})
	return count === 1 ? checked : { ok: false, reason: 'replayed' }
}

/** The first code from the app: the secret becomes a factor. */
export function confirmTotpEnrolment(tx: Tx, userId: string, code: string) {
	return spendCode(tx, userId, code, 'pending')
}

export function verifyTotp(tx: Tx, userId: string, code: string) {
	return spendCode(tx, userId, code, 'confirmed')
}

export async function removeTotp(tx: Tx, userId: string) {
	const { count } = await tx.totpFactor.deleteMany({ where: { userId } })
	return count > 0
}
