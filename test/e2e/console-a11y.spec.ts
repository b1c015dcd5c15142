import { type Page } from '@playwright/test'
import { expectAccessibleConsolePage, expectNoScriptOnlyControls } from './a11y'
import { expect, signInByKeyboard, test, type ConsoleOrg } from './console'
import { host, operatorAdmin, operatorHost } from './fixtures'

/**
 * Issue 7: every console page works without JavaScript, is usable by keyboard and labels every
 * field. Each page of both consoles is opened and checked (a11y.ts): the admin console of a
 * throwaway org (console.ts) as its owner and as an admin, the operator console as its admin.
 */

function adminPages(org: ConsoleOrg): string[] {
	return [
		'/admin/dashboard',
		'/admin/users',
		`/admin/users/${org.member.id}`,
		'/admin/roles',
		`/admin/roles/${org.roleId}`,
		'/admin/roles/new',
		'/admin/teams',
		`/admin/teams/${org.teamId}`,
		'/admin/invitations',
		'/admin/apps',
		`/admin/apps/${org.clientId}`,
		'/admin/settings',
		'/admin/emails',
		'/admin/emails/invitation',
		'/admin/emails/sms-code',
		'/admin/api-keys',
		'/admin/audit',
	]
}

function operatorPages(org: ConsoleOrg): string[] {
	// The outbox filtered to one recipient: unfiltered it lists every test's mail.
	return ['/operator/orgs', `/operator/orgs/${org.slug}`, '/operator/defaults', '/operator/health', '/operator/api-keys', `/operator/outbox?${new URLSearchParams({ to: org.owner.email })}`]
}

/** Opens `url` and checks it loaded as a page of its own: 200 and a heading. */
async function open(page: Page, url: string) {
	const response = await page.goto(url)
	expect(response?.status(), url).toBe(200)
	await expect(page.locator('h1')).not.toHaveText('')
}

test('every admin console page, as the owner: labelled fields, named controls, one h1, all reachable by Tab', async ({ page, consoleOrg }) => {
	// Every admin page, each walked Tab by Tab.
	test.slow()
	await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.owner)
	for (const path of adminPages(consoleOrg)) {
		await test.step(path, async () => {
			await open(page, host(consoleOrg.slug, path))
			await expectAccessibleConsolePage(page)
		})
	}
})

test('every admin console page, as an admin (who may read roles but not change them)', async ({ page, consoleOrg }) => {
	// Every admin page, each walked Tab by Tab.
	test.slow()
	await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.admin)
	// The new-role page is the owner's: an admin gets the console's 403 there.
	for (const path of adminPages(consoleOrg).filter((path) => path !== '/admin/roles/new')) {
		await test.step(path, async () => {
			await open(page, host(consoleOrg.slug, path))
			await expectAccessibleConsolePage(page)
		})
	}
	await test.step("the new-role page is refused; a role's fields are shown disabled", async () => {
		const refused = await page.goto(host(consoleOrg.slug, '/admin/roles/new'))
		expect(refused?.status()).toBe(403)
		await expect(page.getByRole('alert')).toContainText("You don't have access to this page.")
		await open(page, host(consoleOrg.slug, `/admin/roles/${consoleOrg.roleId}`))
		await expect(page.getByLabel('Name', { exact: true })).toBeDisabled()
		await expect(page.getByRole('button', { name: 'Save role' })).toHaveCount(0)
	})
})

test('every operator console page, plus an email of the outbox', async ({ page, consoleOrg }) => {
	await signInByKeyboard(page, operatorHost('/login'), operatorAdmin())
	for (const path of operatorPages(consoleOrg)) {
		await test.step(path, async () => {
			await open(page, operatorHost(path))
			await expectAccessibleConsolePage(page)
		})
	}
	await test.step('/operator/outbox/:id', async () => {
		await open(page, operatorHost(`/operator/outbox?${new URLSearchParams({ to: consoleOrg.owner.email })}`))
		await page.getByRole('link', { name: /invit/i }).first().click()
		await expect(page).toHaveURL(/\/operator\/outbox\/[\w-]+$/)
		await page.reload()
		await expectAccessibleConsolePage(page)
	})
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('every page of both consoles renders, and each button submits a real form', async ({ page, consoleOrg }) => {
		await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.owner)
		for (const path of adminPages(consoleOrg)) {
			await test.step(path, async () => {
				await open(page, host(consoleOrg.slug, path))
				await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible()
				await expectNoScriptOnlyControls(page)
			})
		}
		await signInByKeyboard(page, operatorHost('/login'), operatorAdmin())
		for (const path of operatorPages(consoleOrg)) {
			await test.step(path, async () => {
				await open(page, operatorHost(path))
				await expect(page.getByRole('navigation', { name: 'Operator' })).toBeVisible()
				await expectNoScriptOnlyControls(page)
			})
		}
	})
})
