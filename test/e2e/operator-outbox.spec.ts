import { codeFrom, expect, host, linkFrom, operatorAdmin, operatorHost, orgs, PASSWORD, readEmail, submitSignUp, test, uniqueEmail } from './fixtures'

/**
 * The dev outbox in the operator console: with no SMTP_URL it is where an operator finds the mail
 * Foyer sent, so it must list each message and show its plain-text part (links and codes included).
 */
test('the operator console lists an email in the outbox and shows its text', async ({ page, browser, extraHTTPHeaders }) => {
	const { acme } = orgs
	const user = { email: uniqueEmail('outbox'), password: PASSWORD }
	const visitor = await browser.newContext({ extraHTTPHeaders })
	try {
		await submitSignUp(await visitor.newPage(), acme, user)
	} finally {
		await visitor.close()
	}
	const sent = await readEmail(user.email, { template: 'verify-email' })

	// A customer org's host has no operator console.
	const elsewhere = await page.goto(host(acme.slug, '/operator/outbox'))
	expect(elsewhere?.status()).toBe(404)

	// Anonymous visitors are sent to the operator org's sign-in, and back once signed in.
	await page.goto(operatorHost('/operator/outbox'))
	await expect(page).toHaveURL(operatorHost(`/login?${new URLSearchParams({ redirectTo: '/operator/outbox' })}`))
	const admin = operatorAdmin()
	await page.getByLabel('Email', { exact: true }).fill(admin.email)
	await page.getByLabel('Password', { exact: true }).fill(admin.password)
	await page.getByRole('button', { name: 'Sign in', exact: true }).click()
	await expect(page).toHaveURL(operatorHost('/operator/outbox'))
	await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible()

	const row = page.getByRole('row').filter({ hasText: user.email })
	await expect(row).toHaveCount(1)
	await expect(row.getByRole('cell', { name: acme.slug, exact: true })).toBeVisible()
	await row.getByRole('link', { name: sent.subject }).click()

	await expect(page).toHaveURL(operatorHost(`/operator/outbox/${sent.id}`))
	await expect(page.getByTestId('email-subject')).toHaveText(sent.subject)
	await expect(page.getByTestId('email-to')).toHaveText(user.email)
	const text = page.getByTestId('email-text')
	await expect(text).toContainText(codeFrom(sent))
	await expect(text).toContainText(linkFrom(sent))
	await expect(page.getByTitle(`HTML part of ${sent.subject}`)).toBeVisible()
})
