import { randomBytes } from 'node:crypto'
import { test as base, expect, type Page } from '@playwright/test'

/** Long and uncommon enough for the password policy; shares no word with any email or org here. */
export const PASSWORD = 'violet tractor moonlight 42'

/**
 * The orgs every run has: `acme` is the demo org the server creates on first start, `globex` is
 * created by global-setup.ts. `primary` is the brand colour as getComputedStyle reports it.
 */
export const orgs = {
	acme: { slug: 'acme', name: 'Acme', color: '#c2410c', primary: 'rgb(194, 65, 12)' },
	globex: { slug: 'globex', name: 'Globex', color: '#15803d', primary: 'rgb(21, 128, 61)' },
} as const

export type Org = (typeof orgs)[keyof typeof orgs]

/** Both customer orgs, for specs that run the same checks on each. */
export const customerOrgs: Org[] = [orgs.acme, orgs.globex]

export type User = { email: string; password: string }

/** An absolute URL on `<slug>.localhost` of the server under test (port from playwright.config.ts). */
export function host(slug: string, path = '/'): string {
	const port = process.env.FOYER_E2E_PORT
	if (!port) throw new Error('FOYER_E2E_PORT is not set: run these tests with `npx playwright test`')
	return new URL(path, `http://${slug}.localhost:${port}`).toString()
}

/** An address no other test uses (lowercase: Foyer stores emails lowercased). */
export function uniqueEmail(label = 'user'): string {
	return `${label}-${randomBytes(6).toString('hex')}@example.com`
}

/** The URL /account sends an anonymous visitor to. */
export function loginRedirect(org: Org): string {
	return host(org.slug, `/login?${new URLSearchParams({ redirectTo: '/account' })}`)
}

export async function signUp(page: Page, org: Org, user: User) {
	await page.goto(host(org.slug, '/signup'))
	await page.getByLabel('Email', { exact: true }).fill(user.email)
	await page.getByLabel('Password', { exact: true }).fill(user.password)
	await page.getByRole('button', { name: 'Create account' }).click()
}

export async function signIn(page: Page, org: Org, user: User) {
	await page.goto(host(org.slug, '/login'))
	await page.getByLabel('Email', { exact: true }).fill(user.email)
	await page.getByLabel('Password', { exact: true }).fill(user.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function expectSignedInAs(page: Page, org: Org, email: string) {
	await expect(page).toHaveURL(host(org.slug, '/account'))
	await expect(page.getByTestId('account-email')).toHaveText(email)
}

type Fixtures = {
	/**
	 * Creates an account in `org` through the sign-up page of a throwaway browser context, so the
	 * test's own page starts signed out.
	 */
	createUser: (org: Org) => Promise<User>
}

export const test = base.extend<Fixtures>({
	// `provide` is Playwright's `use`, renamed so the React hooks lint rule does not mistake it for React's.
	createUser: async ({ browser }, provide) => {
		await provide(async (org) => {
			const user = { email: uniqueEmail(), password: PASSWORD }
			const context = await browser.newContext()
			try {
				const page = await context.newPage()
				await signUp(page, org, user)
				await expectSignedInAs(page, org, user.email)
			} finally {
				await context.close()
			}
			return user
		})
	},
})

export { expect }
