import { generate } from 'otplib'
import { type Page } from '@playwright/test'
import { codeFrom, expect, expectSignedInAs, host, orgs, readEmail, signIn, signOut, test, type Org } from './fixtures'

/**
 * Second factors in a real browser: an authenticator app (codes computed here from the secret the
 * page shows), backup codes, and text messages (read from the dev outbox). Passkeys have their own
 * spec (virtual authenticator).
 */

/** A code for the time step `offset` steps from now: enrolment spends the current one. */
const totp = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 })

async function enrolAuthenticator(page: Page, org: Org): Promise<string> {
	await page.goto(host(org.slug, '/account'))
	await page.getByRole('link', { name: 'Security and two-step verification' }).click()
	await expect(page).toHaveURL(host(org.slug, '/account/security'))
	await page.getByRole('listitem').filter({ hasText: 'Authenticator app' }).getByRole('button', { name: 'Set up' }).click()
	await expect(page).toHaveURL(host(org.slug, '/account/security/totp'))
	await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible()
	const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '')
	expect(secret).toMatch(/^[A-Z2-7]{32}$/)
	await page.getByLabel('Code from your authenticator app').fill(await totp(secret))
	await page.getByRole('button', { name: 'Turn on' }).click()
	await expect(page.getByRole('status')).toHaveText('Your authenticator app is on. Make backup codes now, in case you lose your phone.')
	return secret
}

async function makeBackupCodes(page: Page): Promise<string[]> {
	await page.getByRole('button', { name: 'Make codes' }).click()
	await expect(page.getByTestId('backup-codes').getByRole('listitem')).toHaveCount(10)
	const codes = await page.getByTestId('backup-codes').getByRole('listitem').allTextContents()
	expect(codes).toHaveLength(10)
	await page.getByRole('link', { name: 'I saved them' }).click()
	return codes
}

test('Acme: set up an authenticator app, then sign in with a code from it', async ({ page, createUser }) => {
	const org = orgs.acme
	const user = await createUser(org)
	await signIn(page, org, user)
	const secret = await enrolAuthenticator(page, org)
	await makeBackupCodes(page)
	await signOut(page, org)

	await signIn(page, org, user)
	await expect(page).toHaveURL(host(org.slug, '/login/mfa'))
	await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible()
	await page.getByLabel('Code from your authenticator app').fill('000000')
	await page.getByRole('button', { name: 'Verify' }).click()
	await expect(page.getByText('That code is not valid.')).toBeVisible()
	await page.getByLabel('Code from your authenticator app').fill(await totp(secret, 1))
	await page.getByRole('button', { name: 'Verify' }).click()
	await expectSignedInAs(page, org, user.email)
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('Globex: enrol an authenticator app and sign in with a backup code', async ({ page, createUser }) => {
		const org = orgs.globex
		const user = await createUser(org)
		await signIn(page, org, user)
		await enrolAuthenticator(page, org)
		const codes = await makeBackupCodes(page)
		await signOut(page, org)

		await signIn(page, org, user)
		await expect(page).toHaveURL(host(org.slug, '/login/mfa'))
		await page.getByRole('link', { name: 'Use a backup code' }).click()
		await page.getByLabel('Code from your backup codes', { exact: true }).fill(codes[3]!.toUpperCase())
		await page.getByRole('button', { name: 'Verify' }).click()
		await expectSignedInAs(page, org, user.email)
		const warning = await readEmail(user.email, { template: 'backup-code-used' })
		expect(warning.text).toContain('9 codes are left')
	})
})

test('Acme: add a phone number and sign in with a texted code', async ({ page, createUser }) => {
	const org = orgs.acme
	const user = await createUser(org)
	const phone = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`
	await signIn(page, org, user)
	await page.goto(host(org.slug, '/account/security'))
	await page.getByRole('listitem').filter({ hasText: 'Text message' }).getByRole('link', { name: 'Add' }).click()
	await page.getByLabel('Phone number').fill(phone)
	await page.getByRole('button', { name: 'Send code' }).click()
	await page.getByLabel('Code').fill(codeFrom(await readEmail(phone, { template: 'sms' })))
	await page.getByRole('button', { name: 'Verify phone number' }).click()
	await signOut(page, org)

	await signIn(page, org, user)
	await expect(page).toHaveURL(host(org.slug, '/login/mfa'))
	const before = await readEmail(phone, { template: 'sms' })
	await page.getByRole('button', { name: 'Send code' }).click()
	await expect(page.getByRole('status')).toContainText(`ending in ${phone.slice(-2)}`)
	const text = await readEmail(phone, { template: 'sms', after: before })
	await page.getByLabel('Code from the text message').fill(codeFrom(text))
	await page.getByRole('button', { name: 'Verify' }).click()
	await expectSignedInAs(page, org, user.email)
})
