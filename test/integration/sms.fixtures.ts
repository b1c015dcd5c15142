import { Headers, type RequestInit, type Response } from 'undici'
import { expect } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified } from '../setup/accounts'
import { type Foyer } from '../setup/foyer'
import { Client } from '../setup/http'

/**
 * What the sms-*.test.ts files share: browsers that each speak from an IP of their own (the server
 * trusts X-Forwarded-For there), fictional phone numbers, asking for a code on /account/phone, and
 * reading the PhoneFactor, AuditEvent and dev-outbox rows. Helpers that need the file's server
 * come from `smsHelpers(foyer)`.
 */

let emails = 0
const uniqueEmail = (label: string) => `${label}-${++emails}-${Date.now()}@example.com`

/** Fictional-range US numbers (555-01xx), one per test so outbox lookups never mix. */
let phones = 10
export function uniquePhone() {
	const n = String(phones++).padStart(2, '0')
	return { typed: `+1 (415) 555-01${n}`, e164: `+141555501${n}`, display: `+1 415 555 01${n}` }
}

let ips = 0
/** A cookie-jar browser coming from an IP of its own, so send limits of one test never touch another. */
class Browser extends Client {
	readonly ip = `10.7.${Math.floor(ips / 250)}.${(ips++ % 250) + 1}`

	override request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const headers = new Headers(init.headers as Record<string, string> | undefined)
		headers.set('x-forwarded-for', this.ip)
		return super.request(path, { ...init, headers })
	}
}

export const pendingPath = (e164: string, extra = '') => `/account/phone?pending=${encodeURIComponent(e164)}${extra}`

/** Each CLI call boots Foyer in a process of its own. */
export const SLOW = { timeout: 240_000 }

/** The helpers that open browsers on, sign people up on, or read the database of, one file's server. */
export function smsHelpers(foyer: Foyer) {
	const browser = (slug: string) => new Browser(foyer.origin(`${slug}.localhost`))

	async function newUser(label: string, slug = 'acme') {
		const email = uniqueEmail(label)
		const client = await signUpVerified(foyer, slug, email, PASSWORD, browser(slug))
		return { email, client }
	}

	/** Asks for a code on /account/phone and returns it from the dev outbox. */
	async function requestCode(client: Client, phone: { typed: string; e164: string }, slug = 'acme') {
		const since = new Date(Date.now() - 1000)
		const response = await client.post('/account/phone', { intent: 'send', phone: phone.typed })
		expect(response.status, await response.clone().text()).toBe(302)
		expect(response.headers.get('location')).toBe(pendingPath(phone.e164))
		const sms = await latestOutboxEmail(foyer, phone.e164, { template: 'sms', after: since, org: slug })
		return { sms, code: codeFrom(sms.text) }
	}

	async function verifiedPhone(email: string) {
		const [row] = await foyer.sql<{ phoneNumber: string; verifiedAt: Date | null }>(
			'SELECT p."phoneNumber", p."verifiedAt" FROM "PhoneFactor" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1',
			[email],
		)
		return row ?? null
	}

	async function auditEvents(email: string, type: string) {
		return foyer.sql<{ data: Record<string, unknown> }>(
			'SELECT e.data FROM "AuditEvent" e JOIN "User" u ON u.id = e."targetId" WHERE u.email = $1 AND e.type = $2 ORDER BY e.seq',
			[email, type],
		)
	}

	async function smsCount(e164: string) {
		const [row] = await foyer.sql<{ count: string }>(`SELECT count(*) FROM "OutboxEmail" WHERE "to" = $1 AND template = 'sms'`, [e164])
		return Number(row!.count)
	}

	async function ageSessions(email: string) {
		await foyer.sql(`UPDATE "Session" SET "createdAt" = now() - interval '11 minutes' WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`, [email])
	}

	return { browser, newUser, requestCode, verifiedPhone, auditEvents, smsCount, ageSessions }
}
