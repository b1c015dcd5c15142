import { type Page } from '@playwright/test'
import { customerOrgs, enterCode, expect, expectSignedInAs, host, orgs, PASSWORD, submitSignUp, test, uniqueEmail } from './fixtures'

async function primaryButtonColor(page: Page, slug: string) {
	await page.goto(host(slug, '/login'))
	return page.getByRole('button', { name: 'Sign in', exact: true }).evaluate((button) => getComputedStyle(button).backgroundColor)
}

test('each org has its own primary button colour', async ({ page }) => {
	const acme = await primaryButtonColor(page, orgs.acme.slug)
	const globex = await primaryButtonColor(page, orgs.globex.slug)
	expect(acme).not.toBe(globex)
	expect(acme).toBe(orgs.acme.primary)
	expect(globex).toBe(orgs.globex.primary)
})

for (const org of customerOrgs) {
	const others = customerOrgs.filter((other) => other !== org).map((other) => other.name)

	test(`${org.name} pages show ${org.name} and never the vendor's name`, async ({ page }) => {
		const expectNoOtherBrand = async () => {
			await expect(page.locator('body')).not.toContainText(/foyer/i)
			const html = await page.content()
			expect(html).not.toMatch(/foyer/i)
			for (const other of others) expect(html).not.toContain(other)
		}
		const expectOwnBrand = async () => {
			await expect(page.getByText(org.name, { exact: true })).toBeVisible()
			await expect(page).toHaveTitle(new RegExp(org.name))
			await expectNoOtherBrand()
		}

		await page.goto(host(org.slug, '/login'))
		await expectOwnBrand()
		await page.goto(host(org.slug, '/signup'))
		await expectOwnBrand()
		const user = { email: uniqueEmail(), password: PASSWORD }
		await submitSignUp(page, org, user)
		// The "Check your email" page is branded too.
		await expectOwnBrand()
		await enterCode(page, user.email)
		await expectSignedInAs(page, org, user.email)
		await expectOwnBrand()
		// The 404 of a known host is styled with the org's theme; it names nobody else.
		const notFound = await page.goto(host(org.slug, '/no-such-page'))
		expect(notFound?.status()).toBe(404)
		await expectNoOtherBrand()
	})
}
