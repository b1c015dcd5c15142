import { customerOrgs, expect, expectSignedInAs, host, loginRedirect, PASSWORD, signIn, signUp, test, uniqueEmail } from './fixtures'

for (const org of customerOrgs) {
	test.describe(`${org.name}: password sign-in`, () => {
		test('sign-up lands on /account showing the email', async ({ page }) => {
			const user = { email: uniqueEmail(), password: PASSWORD }
			await signUp(page, org, user)
			await expectSignedInAs(page, org, user.email)
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
			await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
		})
	})
}
