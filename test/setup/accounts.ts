import { expect } from 'vitest'
import { type Foyer } from './foyer'
import { type Client } from './http'

/** Long and uncommon enough for the password policy. */
export const PASSWORD = 'violet tractor moonlight 42'

type OutboxRow = { id: string; to: string; subject: string; text: string; html: string; template: string; organizationId: string | null; createdAt: Date }

/**
 * The newest dev-outbox message to `to` (Foyer without SMTP_URL stores mail there), waiting for
 * it: mail that must not reveal whether an account exists is sent after the response.
 */
export async function latestOutboxEmail(
	foyer: Foyer,
	to: string,
	options: { template?: string; after?: Date; org?: string; timeoutMs?: number } = {},
): Promise<OutboxRow> {
	const deadline = Date.now() + (options.timeoutMs ?? 10_000)
	for (;;) {
		const [row] = await foyer.sql<OutboxRow>(
			`SELECT e.* FROM "OutboxEmail" e LEFT JOIN "Organization" o ON o.id = e."organizationId"
			WHERE e."to" = $1 AND ($2::text IS NULL OR e.template = $2) AND e."createdAt" > $3 AND ($4::text IS NULL OR o.slug = $4)
			ORDER BY e."createdAt" DESC LIMIT 1`,
			[to, options.template ?? null, options.after ?? new Date(0), options.org ?? null],
		)
		if (row) return row
		if (Date.now() > deadline) throw new Error(`no outbox email to ${to}${options.template ? ` (${options.template})` : ''}`)
		await new Promise((resolve) => setTimeout(resolve, 25))
	}
}

/** The 6-digit code in a message's text. */
export function codeFrom(text: string): string {
	const match = /\b(\d{6})\b/.exec(text)
	if (!match) throw new Error(`no 6-digit code in:\n${text}`)
	return match[1]!
}

/** The /verify link's token in a message's text. */
export function tokenFrom(text: string): string {
	const match = /\/verify\?token=([A-Za-z0-9_-]+)/.exec(text)
	if (!match) throw new Error(`no /verify link in:\n${text}`)
	return match[1]!
}

/**
 * Signs up through the hosted pages as a person would: the form, then the code from the
 * verification email (dev outbox). Returns the signed-in client.
 */
export async function signUpVerified(foyer: Foyer, slug: string, email: string, password = PASSWORD, client: Client = foyer.client(slug)): Promise<Client> {
	const started = new Date(Date.now() - 1000)
	const signup = await client.post('/signup', { email, password })
	expect(signup.status, await signup.clone().text()).toBe(302)
	const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: started, org: slug })
	const verify = await client.post('/verify', { intent: 'code', type: 'verify-email', target: email, code: codeFrom(mail.text) })
	expect(verify.status).toBe(302)
	expect(verify.headers.get('location')).toBe('/account')
	return client
}
