import { randomBytes } from 'node:crypto'
import { expect, host, operatorAdmin, operatorHost, PASSWORD, readEmail, test } from './fixtures'

/**
 * An org from nothing to its first sign-in, all through the UI: the operator onboards it in the
 * console, the invited admin opens the emailed invitation, chooses a password, and signs in on
 * the new org's own host as its owner.
 */
test('the operator onboards an org whose invited owner joins and signs in on its host', async ({ page, browser, extraHTTPHeaders }) => {
	const slug = `onb-${randomBytes(3).toString('hex')}`
	const name = `Umbrella ${slug}`
	const adminEmail = `owner-${slug}@example.com`

	await page.goto(operatorHost('/operator'))
	const admin = operatorAdmin()
	await page.getByLabel('Email', { exact: true }).fill(admin.email)
	await page.getByLabel('Password', { exact: true }).fill(admin.password)
	await page.getByRole('button', { name: 'Sign in', exact: true }).click()
	await expect(page).toHaveURL(operatorHost('/operator/orgs'))
	await expect(page.getByRole('heading', { name: 'Organizations' })).toBeVisible()

	await page.getByLabel('Name', { exact: true }).fill(name)
	await page.getByLabel('Slug', { exact: true }).fill(slug)
	await page.getByLabel('Brand colour', { exact: true }).fill('#7c3aed')
	await page.getByLabel("First admin's email", { exact: true }).fill(adminEmail)
	await page.getByRole('button', { name: 'Create organization' }).click()
	await expect(page.getByTestId('onboarded')).toContainText(`${name} (${slug}) was created.`)
	await expect(page.getByTestId('onboarded')).toContainText(`sent to ${adminEmail}`)

	await page.getByRole('link', { name: `Open ${name}` }).click()
	await expect(page.getByRole('heading', { name })).toBeVisible()
	await expect(page.getByTestId('org-status')).toHaveText('Active')

	const invitation = await readEmail(adminEmail, { template: 'invitation' })
	const link = /https?:\/\/[^\s[\]<>"]+\/invitations\/accept\?token=[\w-]+/.exec(invitation.text)?.[0]
	expect(link, invitation.text).toBeTruthy()
	expect(new URL(link!).host).toBe(new URL(host(slug)).host)

	const invitee = await browser.newContext({ extraHTTPHeaders })
	try {
		const tab = await invitee.newPage()
		await tab.goto(link!)
		await expect(tab.getByRole('heading', { name: `Join ${name}` })).toBeVisible()
		await tab.getByLabel('Password', { exact: true }).fill(PASSWORD)
		await tab.getByRole('button', { name: 'Create account' }).click()
		await expect(tab).not.toHaveURL(/invitations\/accept/)
	} finally {
		await invitee.close()
	}

	// A fresh browser signs in on the new org's host with the chosen password, as its owner.
	const fresh = await browser.newContext({ extraHTTPHeaders })
	try {
		const tab = await fresh.newPage()
		await tab.goto(host(slug, '/login'))
		await expect(tab.getByText(name).first()).toBeVisible()
		await tab.getByLabel('Email', { exact: true }).fill(adminEmail)
		await tab.getByLabel('Password', { exact: true }).fill(PASSWORD)
		await tab.getByRole('button', { name: 'Sign in', exact: true }).click()
		await expect(tab).toHaveURL(host(slug, '/account'))
		await tab.goto(host(slug, '/admin/settings'))
		await expect(tab.getByRole('heading', { name: 'Sign-in settings' })).toBeVisible()
		await expect(tab.getByLabel('Password sign-in', { exact: true })).toHaveValue('')
	} finally {
		await fresh.close()
	}
})
