import { Headers, type RequestInit, type Response } from 'undici'
import { beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { Client } from '../setup/http'

/*
 * Every email flow end to end over HTTP, with Foyer in dev-outbox mode (no SMTP_URL): messages
 * are read from the OutboxEmail table. Foyer trusts X-Forwarded-For here so that each browser
 * speaks from an IP of its own: the per-IP send limit (30 an hour) would otherwise be spent by
 * the first few tests, and the throttle tests need IPs nobody else uses.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })

const NEW_PASSWORD = 'copper lantern harbour 77'
const BAD_CODE = 'That code is not valid. Check the newest email, or send a new code.'

let emails = 0
const uniqueEmail = (label: string) => `${label}-${++emails}-${Date.now()}@example.com`

/** A moment just before the next request, for "mail sent after this". */
const justBefore = () => new Date(Date.now() - 1)

let ips = 0
/** A cookie-jar browser on an org's host, coming from an IP of its own. */
class Browser extends Client {
	readonly ip = `10.5.${Math.floor(ips / 250)}.${(ips++ % 250) + 1}`

	override request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const headers = new Headers(init.headers)
		headers.set('x-forwarded-for', this.ip)
		return super.request(path, { ...init, headers })
	}
}

const browser = (slug: string) => new Browser(slug === 'operator' ? foyer.origin('localhost') : foyer.origin(`${slug}.localhost`))

async function signIn(slug: string, email: string, password = PASSWORD) {
	const client = browser(slug)
	const response = await client.post('/login', { email, password })
	expect(response.status, await response.clone().text()).toBe(302)
	return client
}

/** A signed-up, verified user of the org, with a browser signed in as them. */
async function newUser(label: string, slug = 'acme') {
	const email = uniqueEmail(label)
	const client = await signUpVerified(foyer, slug, email, PASSWORD, browser(slug))
	return { email, client }
}

/** An account that signed up but never used its verification email (waited for, so it is not taken for a later one). */
async function unverifiedUser(label: string, slug = 'acme') {
	const email = uniqueEmail(label)
	expect((await browser(slug).post('/signup', { email, password: PASSWORD })).status).toBe(302)
	await latestOutboxEmail(foyer, email, { template: 'verify-email' })
	return email
}

async function userRow(email: string, slug = 'acme') {
	const [row] = await foyer.sql<{ id: string; email: string; emailVerified: boolean }>(
		'SELECT u.id, u.email, u."emailVerified" FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE u.email = $1 AND o.slug = $2',
		[email, slug],
	)
	return row
}

async function auditTypesFor(userId: string) {
	const rows = await foyer.sql<{ type: string }>('SELECT type FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq', [userId])
	return rows.map((row) => row.type)
}

async function isSignedIn(client: Client) {
	const response = await client.request('/account')
	if (response.status === 200) return true
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toMatch(/^\/login/)
	return false
}

function codePage(type: 'verify-email' | 'sign-in-code', target: string) {
	return `/verify?${new URLSearchParams({ type, target })}`
}

/** Emails a sign-in code to `email` through /login/code and returns it. */
async function requestSignInCode(client: Client, email: string) {
	const since = justBefore()
	const response = await client.post('/login/code', { email })
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toBe(codePage('sign-in-code', email))
	return codeFrom((await latestOutboxEmail(foyer, email, { template: 'sign-in-code', after: since })).text)
}

/** Emails a sign-in link to `email` through /login/link and returns its token. */
async function requestSignInLink(client: Client, email: string) {
	const since = justBefore()
	const response = await client.post('/login/link', { email })
	expect(response.status).toBe(200)
	return tokenFrom((await latestOutboxEmail(foyer, email, { template: 'magic-link', after: since })).text)
}

/** The code form, posted where a browser posts it: the page's own URL. */
function submitCode(client: Client, type: 'verify-email' | 'sign-in-code', target: string, code: string) {
	return client.post(codePage(type, target), { intent: 'code', type, target, code })
}

/** The button on a link's page (plus a new password for a reset link), posted to that page. */
function submitLink(client: Client, token: string, fields: Record<string, string> = {}) {
	return client.post(`/verify?${new URLSearchParams({ token })}`, { intent: 'link', token, ...fields })
}

/** A page's text as a reader sees it: without React's text-node separators and entities. */
async function textOf(response: Response) {
	return (await response.text()).replaceAll('<!-- -->', '').replaceAll('&#x27;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&')
}

/** Another 6-digit code than `code`. */
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

/**
 * A page's HTML with what differs between any two responses taken out: the address it was asked
 * about, and the per-response CSP nonce.
 */
function withoutAddress(html: string, email: string) {
	return html
		.replaceAll(email, 'EMAIL')
		.replaceAll(encodeURIComponent(email), 'EMAIL')
		.replace(/nonce="[^"]*"/g, 'nonce=""')
}

/** The newest Verification row of a type for an address. */
async function latestVerification(target: string, type: string) {
	const [row] = await foyer.sql<{ consumedAt: Date | null; attempts: number }>(
		'SELECT "consumedAt", attempts FROM "Verification" WHERE target = $1 AND type = $2 ORDER BY "createdAt" DESC LIMIT 1',
		[target, type],
	)
	return row!
}

beforeAll(async () => {
	// A second customer org: secrets must not cross from acme to it. It also requires a verified
	// address for password sign-in (which the cross-org tests never use), set before any request
	// so no server cache holds its old settings.
	for (const args of [
		['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--json'],
		['orgs', 'set', '--org', 'globex', 'emailVerificationRequired=true', '--json'],
	]) {
		const run = await foyer.cli(args)
		expect(run.code, run.stderr).toBe(0)
	}
})

describe('sign-up', () => {
	it('sends a link and a code; the code verifies the address and signs in', async () => {
		const client = browser('acme')
		const email = uniqueEmail('signup-code')
		const since = justBefore()
		const signup = await client.post('/signup', { email, password: PASSWORD })
		expect(signup.status).toBe(302)
		expect(signup.headers.get('location')).toBe(codePage('verify-email', email))
		// Not signed in until the address is proven.
		expect(await isSignedIn(client)).toBe(false)
		expect((await userRow(email))!.emailVerified).toBe(false)

		const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: since })
		expect(mail.text).toContain(`${foyer.origin('acme.localhost')}/verify?token=`)
		const page = await client.request(signup.headers.get('location')!)
		expect(page.status).toBe(200)
		expect(await textOf(page)).toContain(`We sent an email to ${email}`)

		const verified = await submitCode(client, 'verify-email', email, codeFrom(mail.text))
		expect(verified.status).toBe(302)
		expect(verified.headers.get('location')).toBe('/account')
		expect(await isSignedIn(client)).toBe(true)
		const user = (await userRow(email))!
		expect(user.emailVerified).toBe(true)
		expect(await auditTypesFor(user.id)).toContain('user.email_verified')
	})

	it('verifies by link: the page does not use it, the POST does, and only once', async () => {
		const client = browser('acme')
		const email = uniqueEmail('signup-link')
		const since = justBefore()
		expect((await client.post('/signup', { email, password: PASSWORD })).status).toBe(302)
		const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: since })
		const token = tokenFrom(mail.text)

		// A mail scanner opening the link (twice) changes nothing.
		for (let i = 0; i < 2; i++) {
			const page = await client.request(`/verify?token=${token}`)
			expect(page.status).toBe(200)
			expect(await textOf(page)).toContain('Verify email')
		}
		expect((await latestVerification(email, 'verify-email')).consumedAt).toBeNull()
		expect((await userRow(email))!.emailVerified).toBe(false)

		const used = await submitLink(client, token)
		expect(used.status).toBe(302)
		expect(used.headers.get('location')).toBe('/account')
		expect(await isSignedIn(client)).toBe(true)
		expect((await userRow(email))!.emailVerified).toBe(true)

		const again = await submitLink(browser('acme'), token)
		expect(again.status).toBe(400)
		expect(await textOf(again)).toContain('This link has already been used.')
		// Link and code in one message are one secret: the code went with the link.
		const code = await submitCode(browser('acme'), 'verify-email', email, codeFrom(mail.text))
		expect(code.status).toBe(400)
		expect(await textOf(code)).toContain(BAD_CODE)
	})

	it('answers a taken address exactly like a new one and tells its owner instead', async () => {
		const { email: taken } = await newUser('taken')
		const fresh = uniqueEmail('fresh')
		const since = justBefore()
		const duplicate = await browser('acme').post('/signup', { email: taken, password: NEW_PASSWORD })
		const created = await browser('acme').post('/signup', { email: fresh, password: NEW_PASSWORD })
		expect(duplicate.status).toBe(created.status)
		expect(duplicate.headers.get('location')).toBe(codePage('verify-email', taken))
		expect(created.headers.get('location')).toBe(codePage('verify-email', fresh))
		expect(duplicate.headers.getSetCookie()).toEqual(created.headers.getSetCookie())

		const notice = await latestOutboxEmail(foyer, taken, { after: since })
		expect(notice.template).toBe('account-exists')
		expect(notice.text).toContain(`${foyer.origin('acme.localhost')}/forgot-password`)
		await latestOutboxEmail(foyer, fresh, { template: 'verify-email', after: since })
		const verifyMails = await foyer.sql('SELECT 1 FROM "OutboxEmail" WHERE "to" = $1 AND template = $2 AND "createdAt" > $3', [taken, 'verify-email', since])
		expect(verifyMails).toEqual([])
		// The account is untouched: its password is still the old one.
		await signIn('acme', taken, PASSWORD)
		expect((await browser('acme').post('/login', { email: taken, password: NEW_PASSWORD })).status).toBe(400)
	})
})

describe('password reset', () => {
	it('answers the same for an unknown address and mails only the account', async () => {
		const { email: known } = await newUser('reset-known')
		const unknown = uniqueEmail('reset-unknown')
		const since = justBefore()
		const unknownResponse = await browser('acme').post('/forgot-password', { email: unknown })
		const knownResponse = await browser('acme').post('/forgot-password', { email: known })
		expect(knownResponse.status).toBe(200)
		expect(unknownResponse.status).toBe(200)
		const [knownHtml, unknownHtml] = [await knownResponse.text(), await unknownResponse.text()]
		expect(knownHtml).toContain(`If ${known} has an account here, we sent it a link`)
		expect(withoutAddress(unknownHtml, unknown)).toBe(withoutAddress(knownHtml, known))

		const mail = await latestOutboxEmail(foyer, known, { template: 'reset-password', after: since })
		expect(mail.text).toContain(`${foyer.origin('acme.localhost')}/verify?token=`)
		// Nothing is queued for an unknown address (the lookup happens before the response).
		expect(await foyer.sql('SELECT 1 FROM "OutboxEmail" WHERE "to" = $1', [unknown])).toEqual([])
		expect(await foyer.sql('SELECT 1 FROM "Verification" WHERE target = $1', [unknown])).toEqual([])
	})

	it('sets the new password, ends every session and tells the address', async () => {
		const { email, client: signedInBefore } = await newUser('reset')
		const since = justBefore()
		expect((await browser('acme').post('/forgot-password', { email })).status).toBe(200)
		const token = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'reset-password', after: since })).text)

		const page = await browser('acme').request(`/verify?token=${token}`)
		expect(page.status).toBe(200)
		expect(await textOf(page)).toContain('Choose a new password')

		const reset = await submitLink(browser('acme'), token, { password: NEW_PASSWORD })
		expect(reset.status).toBe(302)
		expect(reset.headers.get('location')).toBe('/login?notice=password-reset')
		expect(reset.headers.getSetCookie()).toEqual([])

		expect(await isSignedIn(signedInBefore)).toBe(false)
		expect((await browser('acme').post('/login', { email, password: PASSWORD })).status).toBe(400)
		await signIn('acme', email, NEW_PASSWORD)

		const notice = await latestOutboxEmail(foyer, email, { template: 'password-changed', after: since })
		expect(notice.subject).toBe('Your Acme password was changed')
		expect(await auditTypesFor((await userRow(email))!.id)).toContain('user.password_reset')
		const again = await submitLink(browser('acme'), token, { password: 'another fine password 99' })
		expect(again.status).toBe(400)
		expect(await textOf(again)).toContain('This link has already been used.')
	})

	it('keeps the link usable when the new password is refused by the policy', async () => {
		const { email } = await newUser('reset-policy')
		const since = justBefore()
		await browser('acme').post('/forgot-password', { email })
		const token = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'reset-password', after: since })).text)

		const refused = await submitLink(browser('acme'), token, { password: 'short' })
		expect(refused.status).toBe(400)
		const page = await textOf(refused)
		expect(page).toContain('Choose a new password')
		expect(page).toContain('Use at least 15 characters')
		expect((await latestVerification(email, 'reset-password')).consumedAt).toBeNull()
		await signIn('acme', email, PASSWORD)

		expect((await submitLink(browser('acme'), token, { password: NEW_PASSWORD })).status).toBe(302)
		await signIn('acme', email, NEW_PASSWORD)
	})
})

describe('sign-in by email', () => {
	it('signs in with a magic link, used by POST only', async () => {
		const { email } = await newUser('magic')
		const client = browser('acme')
		const response = await client.post('/login/link', { email })
		expect(response.status).toBe(200)
		expect(await textOf(response)).toContain(`If ${email} has an account here, we sent it a sign-in link.`)
		const token = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'magic-link' })).text)

		const page = await client.request(`/verify?token=${token}`)
		expect(page.status).toBe(200)
		expect(await textOf(page)).toContain(`Continue as ${email}.`)
		expect(await isSignedIn(client)).toBe(false)

		const used = await submitLink(client, token)
		expect(used.status).toBe(302)
		expect(used.headers.get('location')).toBe('/account')
		expect(await isSignedIn(client)).toBe(true)
	})

	it('signs in with an emailed code', async () => {
		const { email } = await newUser('code')
		const client = browser('acme')
		const code = await requestSignInCode(client, email)
		const page = await client.request(codePage('sign-in-code', email))
		expect(page.status).toBe(200)
		expect(await textOf(page)).toContain(`If ${email} has an account here, we sent it a 6-digit code.`)

		const used = await submitCode(client, 'sign-in-code', email, code)
		expect(used.status).toBe(302)
		expect(used.headers.get('location')).toBe('/account')
		expect(await isSignedIn(client)).toBe(true)
	})

	it('kills a code after 5 wrong tries: the right one then fails with the same message', async () => {
		const { email } = await newUser('code-attempts')
		const client = browser('acme')
		const code = await requestSignInCode(client, email)
		for (let i = 0; i < 5; i++) {
			const wrong = await submitCode(client, 'sign-in-code', email, wrongCode(code))
			expect(wrong.status, `attempt ${i + 1}`).toBe(400)
			expect(await textOf(wrong)).toContain(BAD_CODE)
		}
		const row = await latestVerification(email, 'sign-in-code')
		expect(row.attempts).toBe(5)
		expect(row.consumedAt).not.toBeNull()

		const right = await submitCode(client, 'sign-in-code', email, code)
		expect(right.status).toBe(400)
		expect(await textOf(right)).toContain(BAD_CODE)
		expect(await isSignedIn(client)).toBe(false)
	})

	it('gives an unknown address the same answers as a known one with a wrong code', async () => {
		const { email: known } = await newUser('code-known')
		const unknown = uniqueEmail('code-unknown')
		const knownClient = browser('acme')
		const unknownClient = browser('acme')
		const code = await requestSignInCode(knownClient, known)
		const unknownRequest = await unknownClient.post('/login/code', { email: unknown })
		expect(unknownRequest.status).toBe(302)
		expect(unknownRequest.headers.get('location')).toBe(codePage('sign-in-code', unknown))

		const wrong = await submitCode(knownClient, 'sign-in-code', known, wrongCode(code))
		const guessed = await submitCode(unknownClient, 'sign-in-code', unknown, code)
		expect(guessed.status).toBe(wrong.status)
		const [wrongHtml, guessedHtml] = [await wrong.text(), await guessed.text()]
		expect(wrongHtml).toContain(BAD_CODE)
		expect(withoutAddress(guessedHtml, unknown)).toBe(withoutAddress(wrongHtml, known))
	})

	it('refuses an expired link with a message saying so', async () => {
		const { email } = await newUser('link-expired')
		const token = await requestSignInLink(browser('acme'), email)
		await foyer.sql(`UPDATE "Verification" SET "expiresAt" = now() - interval '1 minute' WHERE target = $1 AND type = 'magic-link'`, [email])

		const page = await browser('acme').request(`/verify?token=${token}`)
		expect(page.status).toBe(400)
		expect(await textOf(page)).toContain('This link has expired.')
		const client = browser('acme')
		const used = await submitLink(client, token)
		expect(used.status).toBe(400)
		expect(await textOf(used)).toContain('This link has expired.')
		expect(await isSignedIn(client)).toBe(false)
	})

	it('refuses an expired code with the wrong-code message', async () => {
		const { email } = await newUser('code-expired')
		const client = browser('acme')
		const code = await requestSignInCode(client, email)
		await foyer.sql(
			`UPDATE "Verification" SET "createdAt" = now() - interval '11 minutes', "expiresAt" = now() - interval '1 minute' WHERE target = $1 AND type = 'sign-in-code'`,
			[email],
		)
		const used = await submitCode(client, 'sign-in-code', email, code)
		expect(used.status).toBe(400)
		expect(await textOf(used)).toContain(BAD_CODE)
		expect(await isSignedIn(client)).toBe(false)
	})

	it('refuses a tampered token and still takes the real one', async () => {
		const { email } = await newUser('link-tampered')
		const token = await requestSignInLink(browser('acme'), email)
		const last = token.at(-1) === 'A' ? 'B' : 'A'
		for (const tampered of [`${token.slice(0, -1)}${last}`, token.slice(0, -1), `${token}x`]) {
			const page = await browser('acme').request(`/verify?token=${tampered}`)
			expect(page.status, tampered).toBe(400)
			expect(await textOf(page)).toContain('This link is not valid here.')
			expect((await submitLink(browser('acme'), tampered)).status).toBe(400)
		}
		const client = browser('acme')
		expect((await submitLink(client, token)).status).toBe(302)
		expect(await isSignedIn(client)).toBe(true)
	})

	it("refuses acme's link on globex's host, where it stays usable on acme", async () => {
		const { email } = await newUser('link-cross-org')
		const token = await requestSignInLink(browser('acme'), email)
		const page = await browser('globex').request(`/verify?token=${token}`)
		expect(page.status).toBe(400)
		expect(await textOf(page)).toContain('This link is not valid here.')
		const globex = browser('globex')
		const used = await submitLink(globex, token)
		expect(used.status).toBe(400)
		expect(await textOf(used)).toContain('This link is not valid here.')
		expect(await isSignedIn(globex)).toBe(false)

		const acme = browser('acme')
		expect((await submitLink(acme, token)).status).toBe(302)
		expect(await isSignedIn(acme)).toBe(true)
	})

	it("refuses acme's code typed on globex's host", async () => {
		const { email } = await newUser('code-cross-org')
		const acme = browser('acme')
		const code = await requestSignInCode(acme, email)
		const globex = browser('globex')
		const used = await submitCode(globex, 'sign-in-code', email, code)
		expect(used.status).toBe(400)
		expect(await textOf(used)).toContain(BAD_CODE)
		expect(await isSignedIn(globex)).toBe(false)
		expect((await submitCode(acme, 'sign-in-code', email, code)).status).toBe(302)
	})
})

describe('account changes', () => {
	it('changes the email once the new address confirms, and tells the old one', async () => {
		const { email: oldEmail, client } = await newUser('change-old')
		const newEmail = uniqueEmail('change-new')
		const since = justBefore()
		const requested = await client.post('/account/email', { newEmail, password: PASSWORD })
		expect(requested.status).toBe(200)
		expect(await textOf(requested)).toContain(`We sent a link to ${newEmail}.`)
		// Nothing changes until the new address answers.
		expect(await userRow(newEmail)).toBeUndefined()
		const mail = await latestOutboxEmail(foyer, newEmail, { template: 'email-change-requested', after: since })

		const token = tokenFrom(mail.text)
		const page = await client.request(`/verify?token=${token}`)
		expect(page.status).toBe(200)
		expect(await textOf(page)).toContain(`Use ${newEmail} as your account`)
		const confirmed = await submitLink(client, token)
		expect(confirmed.status).toBe(302)
		expect(confirmed.headers.get('location')).toBe('/account?notice=email-changed')

		const told = await latestOutboxEmail(foyer, oldEmail, { template: 'email-changed', after: since })
		expect(told.text).toContain(newEmail)
		const user = (await userRow(newEmail))!
		expect(user.emailVerified).toBe(true)
		expect(await auditTypesFor(user.id)).toContain('user.email_changed')
		await signIn('acme', newEmail)
		expect((await browser('acme').post('/login', { email: oldEmail, password: PASSWORD })).status).toBe(400)
	})

	it('changes the password: other sessions end, this one continues on a new cookie', async () => {
		const { email, client } = await newUser('change-password')
		const other = await signIn('acme', email)
		const cookieBefore = client.cookies().get('sid')
		const since = justBefore()

		const changed = await client.post('/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
		expect(changed.status).toBe(302)
		expect(changed.headers.get('location')).toBe('/account?notice=password-changed')
		expect(client.cookies().get('sid')).toBeDefined()
		expect(client.cookies().get('sid')).not.toBe(cookieBefore)

		const account = await client.request('/account?notice=password-changed')
		expect(account.status).toBe(200)
		expect(await textOf(account)).toContain('Your password was changed.')
		expect(await isSignedIn(other)).toBe(false)
		expect((await browser('acme').post('/login', { email, password: PASSWORD })).status).toBe(400)
		await signIn('acme', email, NEW_PASSWORD)

		await latestOutboxEmail(foyer, email, { template: 'password-changed', after: since })
		expect(await auditTypesFor((await userRow(email))!.id)).toContain('user.password_changed')
	})

	it('sends a verification link from /account that verifies without signing anyone in', async () => {
		// The org does not require a verified address, so the password alone signs in.
		const email = await unverifiedUser('account-verify')
		const client = await signIn('acme', email)
		const since = justBefore()
		const sent = await client.post('/account', { intent: 'send-verification' })
		// On to the page that takes the emailed code (the link works too).
		expect(sent.status).toBe(302)
		expect(sent.headers.get('location')).toBe(`/verify?${new URLSearchParams({ type: 'verify-email', target: email })}`)
		const token = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'verify-email', after: since })).text)

		// Opened on another device: the address is verified, but that device is not signed in.
		const elsewhere = browser('acme')
		const used = await submitLink(elsewhere, token)
		expect(used.status).toBe(302)
		expect(used.headers.get('location')).toBe('/account?notice=email-verified')
		expect(used.headers.getSetCookie()).toEqual([])
		expect(await isSignedIn(elsewhere)).toBe(false)
		const user = (await userRow(email))!
		expect(user.emailVerified).toBe(true)
		expect(await auditTypesFor(user.id)).toContain('user.email_verified')
	})

	it('holds back password sign-in until the address is verified when the org requires it', async () => {
		const email = await unverifiedUser('required', 'globex')
		const client = browser('globex')
		const since = justBefore()

		const wrong = await client.post('/login', { email, password: 'not the right password at all' })
		expect(wrong.status).toBe(400)
		const held = await client.post('/login', { email, password: PASSWORD })
		expect(held.status).toBe(302)
		expect(held.headers.get('location')).toBe(`${codePage('verify-email', email)}&reason=unverified`)
		expect(held.headers.getSetCookie()).toEqual([])
		expect(await isSignedIn(client)).toBe(false)
		const page = await client.request(held.headers.get('location')!)
		expect(await textOf(page)).toContain('Verify your email address to finish signing in.')

		const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: since })
		const verified = await submitCode(client, 'verify-email', email, codeFrom(mail.text))
		expect(verified.status).toBe(302)
		expect(verified.headers.get('location')).toBe('/account')
		expect(await isSignedIn(client)).toBe(true)
		// From now on the password alone is enough.
		const later = await browser('globex').post('/login', { email, password: PASSWORD })
		expect(later.headers.get('location')).toBe('/account')
	})
})

describe('limits', () => {
	it('refuses a 6th email to one address within the hour, with Retry-After and a readable message', async () => {
		const { email } = await newUser('send-limit')
		const client = browser('acme')
		// The sign-up's verification email was the first of the five.
		for (let i = 0; i < 4; i++) expect((await client.post('/forgot-password', { email })).status, `request ${i + 2}`).toBe(200)
		const refused = await client.post('/forgot-password', { email })
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(await textOf(refused)).toMatch(/Too many emails were requested for this address\. Try again in (\d+ minutes|a minute)\./)
		// The limit is per address: the same browser may still ask for another one.
		expect((await client.post('/forgot-password', { email: uniqueEmail('send-limit-other') })).status).toBe(200)
	})

	it('throttles codes per account: after 10 wrong codes even the right one gets 429', async () => {
		const { email } = await newUser('code-throttle')
		const guesser = browser('acme')
		const first = await requestSignInCode(guesser, email)
		for (let i = 0; i < 10; i++) {
			// The first code dies after 5 wrong tries; the next 5 still count against the account.
			expect((await submitCode(guesser, 'sign-in-code', email, wrongCode(first))).status, `attempt ${i + 1}`).toBe(400)
		}
		const owner = browser('acme')
		const code = await requestSignInCode(owner, email)
		const blocked = await submitCode(owner, 'sign-in-code', email, code)
		expect(blocked.status).toBe(429)
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(await textOf(blocked)).toMatch(/Too many attempts\. Try again in \d+ minutes\./)
		expect(await isSignedIn(owner)).toBe(false)
		// The code itself was not spent: the refusal came before it was checked.
		expect((await latestVerification(email, 'sign-in-code')).consumedAt).toBeNull()
	})
})

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
