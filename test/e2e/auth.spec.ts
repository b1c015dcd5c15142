import { customerOrgs, enterCode, expect, expectSignedInAs, host, loginRedirect, PASSWORD, signIn, submitSignUp, test, uniqueEmail, verifyEmailPage } from './fixtures'

for (const org of customerOrgs) {
	test.describe(`${org.name}: password sign-in`, () => {
		test('sign-up asks for the emailed code, then lands on /account showing the email', async ({ page }) => {
			const user = { email: uniqueEmail(), password: PASSWORD }
			await submitSignUp(page, org, user)
			// Not signed in until the address is proven.
			await page.goto(host(org.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(org))

			await page.goto(verifyEmailPage(org, user.email))
			await enterCode(page, user.email)
			await expectSignedInAs(page, org, user.email)
			await expect(page.getByRole('heading', { name: 'Verify your email address' })).toHaveCount(0)
		})

		test('sign-in with the right password lands on /account', async ({ page, createUser }) => {
			const user = await createUser(org)
			await signIn(page, org, user)
			await expectSignedInAs(page, org, user.email)
		})

		test('a wrong password or an unknown email shows the same generic error', async ({ page, createUser }) => {
			const user = await createUser(org)
			for (const attempt of [{ ...user, password: `${PASSWORD} typo` }, { email: uniqueEmail('nobody'), password: PASSWORD }]) {
				await signIn(page, org, attempt)
				await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.')
				await expect(page).toHaveURL(host(org.slug, '/login'))
			}
			await page.goto(host(org.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(org))
		})

		test('sign-out returns to /login and /account asks to sign in again', async ({ page, createUser }) => {
			const user = await createUser(org)
			await signIn(page, org, user)
			await expectSignedInAs(page, org, user.email)
			await page.getByRole('button', { name: 'Sign out' }).click()
			await expect(page).toHaveURL(host(org.slug, '/login'))
			await page.goto(host(org.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(org))
			await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible()
		})
	})
}
