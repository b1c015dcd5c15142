import { type Page } from '@playwright/test'
import { expect, expectSignedInAs, host, loginRedirect, orgs, signIn, test } from './fixtures'

const { acme, globex } = orgs

/**
 * Submits a form from whatever page `page` shows to `action`, as a cross-site attacker's page
 * would, and returns the response to that POST once the page it answered with has loaded.
 */
async function submitFormTo(page: Page, action: string, fields: Record<string, string>) {
	const response = page.waitForResponse((candidate) => candidate.url() === action && candidate.request().method() === 'POST')
	const loaded = page.waitForURL(action)
	await page.evaluate(
		({ action, fields }) => {
			const form = document.createElement('form')
			form.method = 'POST'
			form.action = action
			for (const [name, value] of Object.entries(fields)) {
				const input = document.createElement('input')
				input.type = 'hidden'
				input.name = name
				input.value = value
				form.append(input)
			}
			document.body.append(form)
			form.submit()
		},
		{ action, fields },
	)
	await loaded
	return response
}

test.describe('org isolation', () => {
	test('a session from acme is not valid on globex', async ({ page, context, createUser }) => {
		const user = await createUser(acme)
		await signIn(page, acme, user)
		await expectSignedInAs(page, acme, user.email)

		await page.goto(host(globex.slug, '/account'))
		await expect(page).toHaveURL(loginRedirect(globex))

		// The cookie is host-only, so the browser keeps it to acme; send it to globex anyway: the
		// server must refuse a session that belongs to another org.
		const cookies = await context.cookies(host(acme.slug))
		expect(cookies.length).toBeGreaterThan(0)
		await context.addCookies(cookies.map(({ name, value, path, httpOnly, sameSite }) => ({ name, value, path, httpOnly, sameSite, domain: `${globex.slug}.localhost`, secure: false })))
		await page.goto(host(globex.slug, '/account'))
		await expect(page).toHaveURL(loginRedirect(globex))

		await page.goto(host(acme.slug, '/account'))
		await expectSignedInAs(page, acme, user.email)
	})

	test('an acme account cannot sign in on globex (each org has its own users)', async ({ page, createUser }) => {
		const user = await createUser(acme)
		await signIn(page, globex, user)
		await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.')
	})

	test('an unknown host gets a 404 that names no org', async ({ page }) => {
		for (const path of ['/', '/login', '/signup', '/account']) {
			const response = await page.goto(host('nobody', path))
			expect(response?.status()).toBe(404)
			await expect(page.getByRole('heading', { name: 'No login here' })).toBeVisible()
			const html = await page.content()
			for (const name of ['Foyer', acme.name, globex.name, 'operator']) expect(html.toLowerCase()).not.toContain(name.toLowerCase())
		}
	})
})

test.describe('cross-origin forms', () => {
	test('a sign-in form posted from another org host is refused with 403', async ({ page, createUser }) => {
		const user = await createUser(acme)
		await page.goto(host(globex.slug, '/login'))
		const response = await submitFormTo(page, host(acme.slug, '/login'), { email: user.email, password: user.password })
		expect(response.status()).toBe(403)
		await expect(page.getByRole('heading', { name: 'Request refused' })).toBeVisible()

		await page.goto(host(acme.slug, '/account'))
		await expect(page).toHaveURL(loginRedirect(acme))
	})

	test('a sign-out form posted from another org host is refused and the session survives', async ({ page, createUser }) => {
		const user = await createUser(acme)
		await signIn(page, acme, user)
		await expectSignedInAs(page, acme, user.email)

		await page.goto(host(globex.slug, '/login'))
		const response = await submitFormTo(page, host(acme.slug, '/logout'), {})
		expect(response.status()).toBe(403)

		await page.goto(host(acme.slug, '/account'))
		await expectSignedInAs(page, acme, user.email)
	})
})
