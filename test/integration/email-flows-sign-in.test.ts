import { beforeAll, describe, expect, it } from 'vitest'
import { latestOutboxEmail, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { BAD_CODE, codePage, emailFlowHelpers, isSignedIn, submitCode, submitLink, textOf, uniqueEmail, withoutAddress, wrongCode } from './email-flows.fixtures'

/*
 * Signing in by email end to end over HTTP: magic links and emailed codes, how each is refused
 * (wrong, expired, tampered, another org's), and the limits on sending and guessing. Foyer is in
 * dev-outbox mode (no SMTP_URL): messages are read from the OutboxEmail table. Foyer trusts
 * X-Forwarded-For here so that each browser speaks from an IP of its own: the per-IP send limit
 * (30 an hour) would otherwise be spent by the first few tests, and the throttle tests need IPs
 * nobody else uses.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { browser, newUser, requestSignInCode, requestSignInLink, latestVerification } = emailFlowHelpers(foyer)

beforeAll(async () => {
	// A second customer org: secrets must not cross from acme to it.
	const run = await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--json'])
	expect(run.code, run.stderr).toBe(0)
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
