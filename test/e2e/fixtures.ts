import { randomBytes } from 'node:crypto'
import { test as base, expect, type Page } from '@playwright/test'
import { closeOutbox, codeFrom, readEmail, type EmailTemplate } from './outbox'

export { codeFrom, countEmails, expireVerifications, linkFrom, readEmail, type Email, type EmailTemplate } from './outbox'

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

/** The "Check your email" page sign-up sends a new account to, where the emailed code is typed. */
export function verifyEmailPage(org: Org, email: string): string {
	return host(org.slug, `/verify?${new URLSearchParams({ type: 'verify-email', target: email })}`)
}

/** Fills in and sends the sign-up form; the server answers every address with the code page. */
export async function submitSignUp(page: Page, org: Org, user: User) {
	await page.goto(host(org.slug, '/signup'))
	await page.getByLabel('Email', { exact: true }).fill(user.email)
	await page.getByLabel('Password', { exact: true }).fill(user.password)
	await page.getByRole('button', { name: 'Create account' }).click()
	await expect(page).toHaveURL(verifyEmailPage(org, user.email))
	await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()
}

/** Types the code from the newest `template` email to `email` into the code page `page` shows. */
export async function enterCode(page: Page, email: string, template: EmailTemplate = 'verify-email') {
	const code = codeFrom(await readEmail(email, { template }))
	await page.getByLabel('Code', { exact: true }).fill(code)
	await page.getByRole('button', { name: template === 'sign-in-code' ? 'Sign in' : 'Verify email' }).click()
}

/** Signs up the way a person does: the form, then the code from the verification email (ends on /account). */
export async function signUp(page: Page, org: Org, user: User) {
	await submitSignUp(page, org, user)
	await enterCode(page, user.email)
}

export async function signIn(page: Page, org: Org, user: User) {
	await page.goto(host(org.slug, '/login'))
	await page.getByLabel('Email', { exact: true }).fill(user.email)
	await page.getByLabel('Password', { exact: true }).fill(user.password)
	await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

export async function signOut(page: Page, org: Org) {
	await page.goto(host(org.slug, '/account'))
	await page.getByRole('button', { name: 'Sign out' }).click()
	await expect(page).toHaveURL(host(org.slug, '/login'))
}

export async function expectSignedInAs(page: Page, org: Org, email: string) {
	await expect(page).toHaveURL(host(org.slug, '/account'))
	await expect(page.getByTestId('account-email')).toHaveText(email)
}

/** The operator org's admin global-setup.ts created (its password comes through the environment). */
export function operatorAdmin(): User {
	const email = process.env.FOYER_E2E_OPERATOR_EMAIL
	const password = process.env.FOYER_E2E_OPERATOR_PASSWORD
	if (!email || !password) throw new Error('No operator admin: global-setup.ts sets FOYER_E2E_OPERATOR_EMAIL and FOYER_E2E_OPERATOR_PASSWORD')
	return { email, password }
}

/** The operator console's origin: FOYER_OPERATOR_HOST is `localhost` (the default) in these runs. */
export function operatorHost(path = '/'): string {
	return new URL(path, `http://localhost:${process.env.FOYER_E2E_PORT}`).toString()
}

/**
 * A client address of its own for each test. Every request here comes from 127.0.0.1, and Foyer
 * limits the emails one IP may ask for (30 an hour): one shared address would run into the
 * limit after a few dozen tests. The e2e server trusts one proxy hop (TRUST_PROXY in
 * playwright.config.ts), so X-Forwarded-For is the address it counts, as behind a real proxy.
 */
function visitorAddress(): string {
	const [a, b, c] = randomBytes(3)
	return `10.${a}.${b}.${c! % 254 + 1}`
}

type Fixtures = {
	/**
	 * Creates a verified account in `org` through the sign-up page (and the code from its email) of
	 * a throwaway browser context, so the test's own page starts signed out.
	 */
	createUser: (org: Org) => Promise<User>
}

type WorkerFixtures = {
	/** Closes this worker's connections to the outbox's database when the worker stops. */
	outboxConnection: void
}

export const test = base.extend<Fixtures, WorkerFixtures>({
	// `provide` is Playwright's `use`, renamed so the React hooks lint rule does not mistake it for React's.
	extraHTTPHeaders: async ({ extraHTTPHeaders }, provide) => {
		await provide({ ...extraHTTPHeaders, 'X-Forwarded-For': visitorAddress() })
	},
	createUser: async ({ browser, extraHTTPHeaders }, provide) => {
		await provide(async (org) => {
			const user = { email: uniqueEmail(), password: PASSWORD }
			const context = await browser.newContext({ extraHTTPHeaders })
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
	outboxConnection: [
		// eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern, even when nothing is used
		async ({}, provide) => {
			await provide()
			await closeOutbox()
		},
		{ scope: 'worker', auto: true },
	],
})

export { expect }
