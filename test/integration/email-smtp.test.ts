import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client, requestWithHost } from '../setup/http'
import { codeIn, startMailbox, verifyLinkIn, type ReceivedMail } from '../setup/mailbox'

/*
 * Foyer sending through a real SMTP server (smtp-server, in this process) instead of its dev
 * outbox: what arrives is what a mail client would show. The mailbox listens before the server
 * starts, since SMTP_URL is read at start. Foyer trusts X-Forwarded-* here, so a forged
 * forwarding header is at its most persuasive.
 */
const mailbox = await startMailbox()
afterAll(() => mailbox.close())

const MAIL_FROM = 'login@foyer.test'
const foyer = foyerPerFile({ env: { SMTP_URL: mailbox.url, MAIL_FROM, TRUST_PROXY: 'true' } })

const NEW_PASSWORD = 'copper lantern harbour 77'

/** Every message Foyer sends in the sign-in flows, by the subject it has for Acme. */
const SUBJECTS = {
	'verify-email': /^Verify your email for Acme$/,
	'account-exists': /^You already have an account with Acme$/,
	'reset-password': /^Reset your Acme password$/,
	'magic-link': /^Your Acme sign-in link$/,
	'sign-in-code': /^Your Acme sign-in code$/,
	'email-change-requested': /^Confirm your new email address for Acme$/,
	'email-changed': /^Your Acme email address was changed$/,
	'password-changed': /^Your Acme password was changed$/,
} as const

type Template = keyof typeof SUBJECTS

let emails = 0
const uniqueEmail = (label: string) => `${label}-${++emails}-${Date.now()}@example.com`

/** Runs `action`, then waits for the message it sends to `to`. */
async function expectMail(to: string, template: Template, action: () => Promise<unknown>) {
	const since = mailbox.messages.length
	await action()
	return mailbox.waitFor(to, { subject: SUBJECTS[template], since })
}

async function post(client: Client, path: string, fields: Record<string, string>, status: number) {
	const response = await client.post(path, fields)
	expect(response.status, `${path}: ${await response.clone().text()}`).toBe(status)
	return response
}

/** Every absolute URL a message links to: hrefs in the HTML part, URLs in the text part. */
function linksIn(mail: ReceivedMail) {
	const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'))
	const texts = [...mail.text.matchAll(/https?:\/\/[^\s\])>]+/g)].map((match) => match[0])
	return [...hrefs, ...texts].map((link) => new URL(link))
}

/** A form POST to Foyer's port with headers of our choosing (fetch would replace Host). */
function postWithHeaders(path: string, fields: Record<string, string>, headers: Record<string, string>) {
	const body = new URLSearchParams(fields).toString()
	const form = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) }
	return requestWithHost(foyer.port, path, { ...form, ...headers }, { method: 'POST', body })
}

/** A verified acme account, made through sign-up and the emailed code. */
async function signUp(email: string) {
	const client = foyer.client('acme')
	const mail = await expectMail(email, 'verify-email', () => post(client, '/signup', { email, password: PASSWORD }, 302))
	await post(client, '/verify', { intent: 'code', type: 'verify-email', target: email, code: codeIn(mail) }, 302)
	return client
}

describe('every message type, delivered over SMTP', () => {
	const received = new Map<Template, ReceivedMail>()
	/** Acme's primary colour as its pages render it (brand #c2410c through the theme's contrast rules). */
	let primary = ''

	beforeAll(async () => {
		const login = await (await foyer.client('acme').request('/login')).text()
		primary = /--brand-primary:(#[0-9a-f]{6})/i.exec(login)![1]!.toLowerCase()

		// One account through every flow that mails it, using each link and code on the way.
		const email = uniqueEmail('every')
		const newEmail = uniqueEmail('every-new')
		const client = foyer.client('acme')
		const verify = await expectMail(email, 'verify-email', () => post(client, '/signup', { email, password: PASSWORD }, 302))
		await post(client, '/verify', { intent: 'code', type: 'verify-email', target: email, code: codeIn(verify) }, 302)
		received.set('verify-email', verify)

		received.set('account-exists', await expectMail(email, 'account-exists', () => post(foyer.client('acme'), '/signup', { email, password: NEW_PASSWORD }, 302)))

		const reset = await expectMail(email, 'reset-password', () => post(foyer.client('acme'), '/forgot-password', { email }, 200))
		received.set('reset-password', reset)
		const resetLink = verifyLinkIn(reset)
		const changed = await expectMail(email, 'password-changed', () =>
			post(foyer.client('acme'), `${resetLink.pathname}${resetLink.search}`, { intent: 'link', token: resetLink.searchParams.get('token')!, password: NEW_PASSWORD }, 302),
		)
		received.set('password-changed', changed)

		const magic = await expectMail(email, 'magic-link', () => post(foyer.client('acme'), '/login/link', { email }, 200))
		received.set('magic-link', magic)
		await post(foyer.client('acme'), '/verify', { intent: 'link', token: verifyLinkIn(magic).searchParams.get('token')! }, 302)

		const code = await expectMail(email, 'sign-in-code', () => post(foyer.client('acme'), '/login/code', { email }, 302))
		received.set('sign-in-code', code)
		const signedIn = foyer.client('acme')
		await post(signedIn, '/verify', { intent: 'code', type: 'sign-in-code', target: email, code: codeIn(code) }, 302)

		const request = await expectMail(newEmail, 'email-change-requested', () => post(signedIn, '/account/email', { newEmail, password: NEW_PASSWORD }, 200))
		received.set('email-change-requested', request)
		const confirmLink = verifyLinkIn(request)
		received.set(
			'email-changed',
			await expectMail(email, 'email-changed', () => post(signedIn, '/verify', { intent: 'link', token: confirmLink.searchParams.get('token')! }, 302)),
		)
	})

	it.each(Object.keys(SUBJECTS) as Template[])('%s: HTML and text parts, from the org, links on its host, in its colours', (template) => {
		const mail = received.get(template)!
		expect(mail.raw.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' })
		expect(mail.html).toMatch(/^<!DOCTYPE html/i)
		expect(mail.text.length).toBeGreaterThan(50)
		expect(mail.text).not.toMatch(/<[a-z]/i)

		expect(mail.fromName).toBe('Acme')
		expect(mail.from).toBe(MAIL_FROM)
		expect(mail.html).toContain('Acme')
		expect(mail.text).toContain('Acme')
		expect(mail.html.toLowerCase()).toContain(primary)

		const links = linksIn(mail)
		// A code-only message has nothing to click.
		if (template !== 'sign-in-code') expect(links.length).toBeGreaterThan(0)
		for (const link of links) expect(link.origin, link.href).toBe(foyer.origin('acme.localhost'))
	})

	it("renders Acme's brand colour #c2410c as its primary token (it already meets contrast)", () => {
		expect(primary).toBe('#c2410c')
	})
})

describe('links ignore the request they were asked for from', () => {
	it('keeps the canonical origin when a trusted proxy claims another one', async () => {
		const email = uniqueEmail('forwarded')
		await signUp(email)
		const forged = { host: `127.0.0.1:${foyer.port}`, 'x-forwarded-host': 'acme.localhost:4444', 'x-forwarded-proto': 'https', origin: 'https://acme.localhost:4444' }
		const mail = await expectMail(email, 'reset-password', async () => {
			const response = await postWithHeaders('/forgot-password', { email }, forged)
			// The forged origin is self-consistent, so the request itself goes through.
			expect(response.status).toBe(200)
		})
		expect(verifyLinkIn(mail).origin).toBe(foyer.origin('acme.localhost'))
		for (const link of linksIn(mail)) expect(link.origin).toBe(foyer.origin('acme.localhost'))
	})

	it('keeps the canonical origin when the Host header names another port', async () => {
		const email = uniqueEmail('host')
		await signUp(email)
		const mail = await expectMail(email, 'magic-link', async () => {
			const response = await postWithHeaders('/login/link', { email }, { host: 'acme.localhost:1', origin: 'http://acme.localhost:1' })
			expect(response.status).toBe(200)
		})
		expect(verifyLinkIn(mail).origin).toBe(foyer.origin('acme.localhost'))
	})
})

describe('sender settings', () => {
	beforeAll(async () => {
		// The operator org (Foyer, on localhost) has had no request yet, so no server cache holds
		// its old settings. An org's own sender address must be on a domain the operator allowed it.
		const allowed = await foyer.cli(['orgs', 'set-sender-domains', '--org', 'operator', 'foyer.example', '--json'])
		expect(allowed.code, allowed.stderr).toBe(0)
		const set = await foyer.cli(['orgs', 'set', '--org', 'operator', 'emailSenderName=Foyer Support', 'emailSenderAddress=Support@Foyer.example', '--json'])
		expect(set.code, set.stderr).toBe(0)
	})

	it("sends from the org's own sender name and address", async () => {
		const email = uniqueEmail('sender')
		const since = mailbox.messages.length
		await post(foyer.client('operator'), '/signup', { email, password: PASSWORD }, 302)
		const mail = await mailbox.waitFor(email, { subject: /^Verify your email for Foyer$/, since })
		expect(mail.fromName).toBe('Foyer Support')
		expect(mail.from).toBe('support@foyer.example')
		// The sender is the only thing the setting changes: the message still speaks for the org.
		expect(mail.html).toContain('You received this email from Foyer.')
		expect(verifyLinkIn(mail).origin).toBe(foyer.origin('localhost'))
	})
})

describe('sender domains', () => {
	/** A sign-up on acme and the verification email it sends. */
	async function verifyMail() {
		const email = uniqueEmail('domains')
		return expectMail(email, 'verify-email', () => post(foyer.client('acme'), '/signup', { email, password: PASSWORD }, 302))
	}

	it("sends from the org's address on a domain the operator allowed, and from the platform sender once the operator removes it", async () => {
		const operator = foyer.client('operator')
		expect((await operator.post('/login', foyer.admins.operator!)).status).toBe(302)
		const owner = foyer.client('acme')
		expect((await owner.post('/login', foyer.admins.acme!)).status).toBe(302)

		expect((await owner.post('/admin/settings', { emailSenderAddress: 'ceo@bank.example' })).status).toBe(400)
		expect((await operator.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: 'acme.example' })).status).toBe(302)
		const saved = await owner.post('/admin/settings', { emailSenderName: 'Acme Accounts', emailSenderAddress: 'accounts@acme.example' })
		expect(saved.status, await saved.clone().text()).toBe(302)
		const allowed = await verifyMail()
		expect(allowed.from).toBe('accounts@acme.example')
		expect(allowed.fromName).toBe('Acme Accounts')

		expect((await operator.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: '' })).status).toBe(302)
		const removed = await verifyMail()
		expect(removed.from).toBe(MAIL_FROM)
		expect(removed.fromName).toBe('Acme Accounts')
	})

	it('never sends from an address on a domain that is not allowed, even one written into the database by hand', async () => {
		await foyer.sql(`UPDATE "Organization" SET settings = '{"emailSenderAddress":"ceo@bank.example"}' WHERE slug = 'acme'`)
		// A change the server is told about, as the CLI would tell it.
		expect((await foyer.cli(['orgs', 'set', '--org', 'acme', 'emailSenderName=Acme'])).code).toBe(0)
		await expect.poll(async () => (await verifyMail()).fromName, { timeout: 5000 }).toBe('Acme')
		expect((await verifyMail()).from).toBe(MAIL_FROM)
	})
})
