import { generateSecret, generateURI, verify } from 'otplib'

/**
 * RFC 6238 codes as authenticator apps make them: SHA-1, 6 digits, 30-second steps. Rules:
 * - secrets are 20 random bytes (160 bits, RFC 4226's recommendation), base32 for the apps;
 * - a code is accepted one step either side of now, for clocks that drift;
 * - each time step is accepted once: a code for the newest step used, or any earlier one, is a
 *   replay, even inside the window (the caller stores the step; see totp.server.ts).
 */
export const TOTP_PERIOD_SECONDS = 30
const SECRET_BYTES = 20

export function newTotpSecret(): string {
	return generateSecret({ length: SECRET_BYTES })
}

/** The otpauth:// URI an app scans; the label names the org and the account. */
export function totpUri(secret: string, issuer: string, account: string): string {
	return generateURI({ issuer, label: account, secret, period: TOTP_PERIOD_SECONDS })
}

/** Six digits, with the spaces and dashes people type between groups removed. */
export function normalizeTotpCode(raw: unknown): string | null {
	if (typeof raw !== 'string' || raw.length > 20) return null
	const code = raw.replace(/[\s-]/g, '')
	return /^\d{6}$/.test(code) ? code : null
}

export type TotpCheck = { ok: true; step: number; delta: number } | { ok: false; reason: 'invalid' | 'replayed' }

export async function checkTotpCode(secret: string, code: string, options: { now?: number; lastUsedStep?: number | null } = {}): Promise<TotpCheck> {
	const epoch = Math.floor((options.now ?? Date.now()) / 1000)
	const result = await verify({ secret, token: code, epoch, epochTolerance: TOTP_PERIOD_SECONDS })
	if (!result.valid) return { ok: false, reason: 'invalid' }
	const step = Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta
	if (options.lastUsedStep !== null && options.lastUsedStep !== undefined && step <= options.lastUsedStep) return { ok: false, reason: 'replayed' }
	return { ok: true, step, delta: result.delta }
}
