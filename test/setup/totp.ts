import { generate } from 'otplib'
import { type Foyer } from './foyer'
import { type Client } from './http'

const PERIOD = 30

/** The base32 secret shown as text on the enrolment page (grouped by four for people). */
export function secretFrom(html: string): string {
	const match = /data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(html)
	if (!match) throw new Error('no TOTP secret on the page')
	return match[1]!.replace(/\s/g, '')
}

/**
 * A code Foyer will accept now: for the oldest step in its ±1 window that is newer than the last
 * one used (each step is accepted once), waiting for the clock when all three are spent.
 */
export async function nextTotpCode(foyer: Foyer, email: string, secret: string): Promise<string> {
	const [row] = await foyer.sql<{ lastUsedStep: number | null }>(`SELECT t."lastUsedStep" FROM "TotpFactor" t JOIN "User" u ON u.id = t."userId" WHERE u.email = $1`, [email])
	for (;;) {
		const current = Math.floor(Date.now() / 1000 / PERIOD)
		const step = Math.max(current - 1, (row?.lastUsedStep ?? -Infinity) + 1)
		if (step <= current + 1) return generate({ secret, epoch: step * PERIOD + 1 })
		await new Promise((resolve) => setTimeout(resolve, (step - 1) * PERIOD * 1000 - Date.now() + 50))
	}
}

/**
 * Sets up an authenticator app for a signed-in client through the pages, then makes backup codes
 * as the page that follows offers; returns the secret and the codes.
 */
export async function enrolTotp(foyer: Foyer, client: Client, email: string) {
	const start = await client.post('/account/security', { intent: 'start-totp' })
	if (start.status !== 302 || !start.headers.get('location')?.startsWith('/account/security/totp')) throw new Error(`start-totp answered ${start.status}`)
	const page = await client.request(start.headers.get('location')!)
	const secret = secretFrom(await page.text())
	const confirmed = await client.post('/account/security/totp', { code: await nextTotpCode(foyer, email, secret) })
	if (confirmed.status !== 302 || !confirmed.headers.get('location')?.startsWith('/account/security?notice=totp-on')) {
		throw new Error(`confirming TOTP answered ${confirmed.status} ${confirmed.headers.get('location') ?? ''}`)
	}
	const codes = await client.post('/account/security', { intent: 'regenerate-backup-codes' })
	return { secret, backupCodes: backupCodesIn(await codes.text()) }
}

export function backupCodesIn(html: string): string[] {
	return [...html.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((match) => match[1]!)
}
