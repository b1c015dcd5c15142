import { beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import {
	BAD_CODE,
	codePage,
	emailFlowHelpers,
	isSignedIn,
	justBefore,
	NEW_PASSWORD,
	submitCode,
	submitLink,
	textOf,
	uniqueEmail,
	withoutAddress,
} from './email-flows.fixtures'

/*
 * The email flows around an account, end to end over HTTP: sign-up and its verification email,
 * password reset, and from /account changing the email or password and verifying the address
 * (also when an org requires it before password sign-in). Foyer is in dev-outbox mode (no
 * SMTP_URL): messages are read from the OutboxEmail table. Foyer trusts X-Forwarded-For here so
 * that each browser speaks from an IP of its own: the per-IP send limit (30 an hour) would
 * otherwise be spent by the first few tests. Sign-in by email and the send limits are in
 * email-flows-sign-in.test.ts, the dev outbox console in email-flows-outbox.test.ts.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { browser, signIn, newUser, unverifiedUser, userRow, auditTypesFor, latestVerification } = emailFlowHelpers(foyer)

beforeAll(async () => {
	// A second customer org that requires a verified address for password sign-in, set before any
	// request so no server cache holds its old settings.
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

	it('for an address with a pending invitation creates no account and mails the invitation again, answering as for a new address', async () => {
		const owner = await signIn('acme', foyer.admins.acme!.email, foyer.admins.acme!.password)
		const invited = uniqueEmail('invited')
		const sent = justBefore()
		expect((await owner.post('/admin/invitations', { intent: 'send', email: invited, role: 'admin' })).status).toBe(201)
		const first = await latestOutboxEmail(foyer, invited, { template: 'invitation', after: sent })
		const invitationRow = async () => (await foyer.sql<{ tokenHash: string; acceptedAt: Date | null }>('SELECT "tokenHash", "acceptedAt" FROM "Invitation" WHERE email = $1', [invited]))[0]!
		const before = await invitationRow()

		const fresh = uniqueEmail('fresh')
		const since = justBefore()
		const squat = await browser('acme').post('/signup', { email: invited, password: NEW_PASSWORD })
		const created = await browser('acme').post('/signup', { email: fresh, password: NEW_PASSWORD })
		expect(squat.status).toBe(created.status)
		expect(squat.headers.get('location')).toBe(codePage('verify-email', invited))
		expect(squat.headers.getSetCookie()).toEqual(created.headers.getSetCookie())

		expect(await userRow(invited)).toBeUndefined()
		const again = await latestOutboxEmail(foyer, invited, { template: 'invitation', after: since })
		expect(again.id).not.toBe(first.id)
		expect((await invitationRow()).tokenHash).not.toBe(before.tokenHash)
		expect(await foyer.sql('SELECT 1 FROM "OutboxEmail" WHERE "to" = $1 AND template <> $2 AND "createdAt" > $3', [invited, 'invitation', sent])).toEqual([])
		// The password typed at sign-up opens nothing.
		expect((await browser('acme').post('/login', { email: invited, password: NEW_PASSWORD })).status).toBe(400)

		// Within the invitation limits (5 emails an hour per address): the sixth sign-up sends nothing, and says the same.
		for (let i = 0; i < 3; i++) expect((await browser('acme').post('/signup', { email: invited, password: NEW_PASSWORD })).status).toBe(302)
		const mails = async () => (await foyer.sql<{ n: number }>('SELECT count(*)::int AS n FROM "OutboxEmail" WHERE "to" = $1 AND template = $2', [invited, 'invitation']))[0]!.n
		// Sent after the answer: wait for them.
		for (let waited = 0; (await mails()) < 5 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
		expect(await mails()).toBe(5)
		const over = await browser('acme').post('/signup', { email: invited, password: NEW_PASSWORD })
		expect(over.status).toBe(302)
		expect(over.headers.get('location')).toBe(codePage('verify-email', invited))
		await new Promise((resolve) => setTimeout(resolve, 500))
		expect(await mails()).toBe(5)
		expect(await userRow(invited)).toBeUndefined()
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
