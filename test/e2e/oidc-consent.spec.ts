import { enterCode, expect, host, orgs, PASSWORD, test, uniqueEmail } from './fixtures'
import { startRelyingParty } from './relying-party'

test.describe('an app signs users in through Foyer', () => {
	let partner: Awaited<ReturnType<typeof startRelyingParty>>
	let internal: Awaited<ReturnType<typeof startRelyingParty>>

	test.beforeAll(async () => {
		partner = await startRelyingParty({ slug: 'acme', name: 'Partner Dashboard' })
		internal = await startRelyingParty({ slug: 'globex', name: 'Globex Intranet', firstParty: true })
	})

	test.afterAll(async () => {
		await partner?.close()
		await internal?.close()
	})

	test('a third-party app shows the branded consent page once, then signs in directly', async ({ page, createUser }) => {
		const user = await createUser(orgs.acme)
		await page.goto(`${partner.origin}/start`)
		await expect(page).toHaveURL(/acme\.localhost:\d+\/login/)
		await page.getByLabel('Email', { exact: true }).fill(user.email)
		await page.getByLabel('Password', { exact: true }).fill(user.password)
		await page.getByRole('button', { name: 'Sign in', exact: true }).click()

		await expect(page).toHaveURL(/\/interaction\//)
		await expect(page.getByRole('heading', { name: 'Partner Dashboard wants to access your Acme account' })).toBeVisible()
		await expect(page.getByRole('list', { name: 'Requested access' })).toContainText('See your email address')
		await expect(page.getByRole('button', { name: 'Deny' })).toBeVisible()
		await expect(page.locator('body')).not.toContainText(/foyer/i)
		await page.getByRole('button', { name: 'Allow' }).click()
		await expect(page.getByRole('heading')).toHaveText(`Partner Dashboard: signed in as ${user.email}`)

		// Consent is remembered: the next sign-in goes straight back to the app.
		await page.goto(`${partner.origin}/start`)
		await expect(page.getByRole('heading')).toHaveText(`Partner Dashboard: signed in as ${user.email}`)

		// ...and listed on the account page, where it can be revoked.
		await page.goto(host('acme', '/account'))
		await expect(page.getByRole('heading', { name: 'Connected apps' })).toBeVisible()
		await page.getByRole('button', { name: 'Revoke access for Partner Dashboard' }).click()
		await expect(page.getByRole('status')).toHaveText('Partner Dashboard can no longer use your account.')
		await expect(page.getByText('No apps have access to your account.')).toBeVisible()
		await expect(page.getByRole('button', { name: 'Revoke access for Partner Dashboard' })).toHaveCount(0)
		await page.goto(`${partner.origin}/start`)
		await expect(page.getByRole('button', { name: 'Allow' })).toBeVisible()
	})

	test('a new user signs up from the app, enters the emailed code and is sent back to the app', async ({ page }) => {
		const user = { email: uniqueEmail('from-app'), password: PASSWORD }
		await page.goto(`${partner.origin}/start`)
		await expect(page).toHaveURL(/acme\.localhost:\d+\/login\?redirectTo=/)
		await page.getByRole('link', { name: 'Create an account' }).click()
		await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible()
		await page.getByLabel('Email', { exact: true }).fill(user.email)
		await page.getByLabel('Password', { exact: true }).fill(user.password)
		await page.getByRole('button', { name: 'Create account' }).click()

		// The code page keeps where the sign-in came from.
		await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()
		await expect(page).toHaveURL(/\/verify\?type=verify-email&.*redirectTo=%2Finteraction%2F/)
		await enterCode(page, user.email)
		await expect(page.getByRole('heading', { name: 'Partner Dashboard wants to access your Acme account' })).toBeVisible()
		await page.getByRole('button', { name: 'Allow' }).click()
		await expect(page.getByRole('heading')).toHaveText(`Partner Dashboard: signed in as ${user.email}`)
	})

	test('denying sends the app access_denied', async ({ page, createUser }) => {
		const user = await createUser(orgs.acme)
		await page.goto(`${partner.origin}/start`)
		await page.getByLabel('Email', { exact: true }).fill(user.email)
		await page.getByLabel('Password', { exact: true }).fill(user.password)
		await page.getByRole('button', { name: 'Sign in', exact: true }).click()
		await page.getByRole('button', { name: 'Deny' }).click()
		await expect(page.getByRole('heading')).toHaveText('Not signed in: access_denied')
	})

	test('a first-party app on another org never asks for consent', async ({ page, createUser }) => {
		const user = await createUser(orgs.globex)
		await page.goto(`${internal.origin}/start`)
		await expect(page).toHaveURL(/globex\.localhost:\d+\/login/)
		await page.getByLabel('Email', { exact: true }).fill(user.email)
		await page.getByLabel('Password', { exact: true }).fill(user.password)
		await page.getByRole('button', { name: 'Sign in', exact: true }).click()
		await expect(page.getByRole('heading')).toHaveText(`Globex Intranet: signed in as ${user.email}`)
	})
})
