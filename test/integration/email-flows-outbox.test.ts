import { describe, expect, it } from 'vitest'
import { latestOutboxEmail, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { emailFlowHelpers, justBefore, textOf } from './email-flows.fixtures'

/*
 * The dev outbox console (/operator/outbox), where Foyer without SMTP_URL keeps the mail it would
 * have sent: who may read it (operator admins only, on the operator host) and how a message's HTML
 * is served. Foyer trusts X-Forwarded-For here so that each browser speaks from an IP of its own,
 * as in the other email-flows-*.test.ts files.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { browser, signIn, newUser } = emailFlowHelpers(foyer)

describe('dev outbox console', () => {
	/** A message in the outbox: the reset link for a fresh acme account. */
	async function someOutboxEmail() {
		const { email } = await newUser('outbox')
		const since = justBefore()
		await browser('acme').post('/forgot-password', { email })
		return latestOutboxEmail(foyer, email, { template: 'reset-password', after: since })
	}

	it("shows operator admins every org's mail, the HTML part under its own sandboxing CSP", async () => {
		const mail = await someOutboxEmail()
		const operator = await signIn('operator', foyer.admins.operator!.email, foyer.admins.operator!.password)

		const list = await operator.request(`/operator/outbox?to=${encodeURIComponent(mail.to)}`)
		expect(list.status).toBe(200)
		expect(list.headers.get('cache-control')).toBe('no-store')
		const listHtml = await list.text()
		expect(listHtml).toContain(mail.subject)
		expect(listHtml).toContain(`/operator/outbox/${mail.id}`)

		const detail = await operator.request(`/operator/outbox/${mail.id}`)
		expect(detail.status).toBe(200)
		const detailHtml = await detail.text()
		expect(detailHtml).toContain(mail.to)
		expect(detailHtml).toContain(tokenFrom(mail.text))
		expect(detailHtml).toMatch(/<iframe[^>]*sandbox=""/)

		const html = await operator.request(`/operator/outbox/${mail.id}/html`)
		expect(html.status).toBe(200)
		expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
		const csp = html.headers.get('content-security-policy')!
		expect(csp.split(';').map((directive) => directive.trim())).toEqual(expect.arrayContaining(["default-src 'none'", 'sandbox', "frame-ancestors 'self'"]))
		expect(csp).not.toContain('nonce-')
		expect(await html.text()).toBe(mail.html)
	})

	it("is not there on a customer org's host, even for its admin", async () => {
		const mail = await someOutboxEmail()
		const acmeAdmin = await signIn('acme', foyer.admins.acme!.email, foyer.admins.acme!.password)
		for (const path of ['/operator/outbox', `/operator/outbox/${mail.id}`, `/operator/outbox/${mail.id}/html`]) {
			expect((await acmeAdmin.request(path)).status, path).toBe(404)
		}
	})

	it('refuses operator-org members with 403', async () => {
		const mail = await someOutboxEmail()
		// Anyone who signs up on the operator host is a member of the operator org.
		const { client: member } = await newUser('operator-member', 'operator')
		for (const path of ['/operator/outbox', `/operator/outbox/${mail.id}`, `/operator/outbox/${mail.id}/html`]) {
			const response = await member.request(path)
			expect(response.status, path).toBe(403)
			expect(await textOf(response)).not.toContain(tokenFrom(mail.text))
		}
	})

	it('sends anonymous visitors to sign in', async () => {
		const mail = await someOutboxEmail()
		for (const path of ['/operator/outbox', `/operator/outbox/${mail.id}/html`]) {
			const response = await browser('operator').request(path)
			expect(response.status, path).toBe(302)
			expect(response.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(path)}`)
		}
	})
})
