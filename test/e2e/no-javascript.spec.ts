import { customerOrgs, expect, expectSignedInAs, host, loginRedirect, PASSWORD, signIn, signUp, test, uniqueEmail } from './fixtures'

// Forms are plain HTML forms: every step here works with scripts off.
test.use({ javaScriptEnabled: false })

for (const org of customerOrgs) {
	test(`${org.name}: sign-up (with its emailed code), sign-out and sign-in work without JavaScript`, async ({ page }) => {
		const user = { email: uniqueEmail(), password: PASSWORD }
		await signUp(page, org, user)
		await expectSignedInAs(page, org, user.email)

		await page.getByRole('button', { name: 'Sign out' }).click()
		await expect(page).toHaveURL(host(org.slug, '/login'))

		await signIn(page, org, { ...user, password: `${PASSWORD} typo` })
		await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.')

		await signIn(page, org, user)
		await expectSignedInAs(page, org, user.email)

		await page.getByRole('button', { name: 'Sign out' }).click()
		await page.goto(host(org.slug, '/account'))
		await expect(page).toHaveURL(loginRedirect(org))
	})
}
