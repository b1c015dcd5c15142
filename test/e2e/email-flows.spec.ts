import { randomBytes } from 'node:crypto'
import { type Page } from '@playwright/test'
import {
	codeFrom,
	countEmails,
	customerOrgs,
	enterCode,
	expect,
	expectSignedInAs,
	expireVerifications,
	host,
	linkFrom,
	loginRedirect,
	orgs,
	PASSWORD,
	readEmail,
	signIn,
	signOut,
	submitSignUp,
	test,
	uniqueEmail,
	verifyEmailPage,
	type Org,
	type User,
} from './fixtures'

/**
 * Every email flow end to end, on both orgs: the page that asks for the email, the message in the
 * dev outbox (read from the database, fixtures.ts `readEmail`), and the link or code used in the
 * browser, then what it leads to.
 */

// Every test makes its own users: both workers can share this file, the longest of the suite.
test.describe.configure({ mode: 'parallel' })

const NEW_PASSWORD = 'orchard lantern pebble 77'

/** A passphrase of random letters, unguessable however zxcvbn counts. */
function randomPassphrase(): string {
	return Array.from({ length: 5 }, () => Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join('')).join(' ')
}

/** Asks one of the "email me" pages (/forgot-password, /login/link) for a message and checks the answer. */
async function requestEmail(page: Page, email: string, button: string) {
	await page.getByLabel('Email', { exact: true }).fill(email)
	await page.getByRole('button', { name: button }).click()
	await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()
	await expect(page.getByRole('status')).toContainText(`If ${email} has an account here`)
}

async function expectLinkRefused(page: Page, reason: string) {
	await expect(page.getByRole('heading', { name: "This link can't be used" })).toBeVisible()
	await expect(page.getByRole('alert')).toHaveText(reason)
	await expect(page.getByRole('button')).toHaveCount(0)
}

async function expectWrongPassword(page: Page, org: Org, user: User) {
	await signIn(page, org, user)
	await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.')
	await expect(page).toHaveURL(host(org.slug, '/login'))
}

/** The link in an email, checked to lead to the org's own host. */
function orgLinkFrom(org: Org, email: Parameters<typeof linkFrom>[0]): string {
	const link = linkFrom(email)
	expect(link.startsWith(host(org.slug, '/verify?token='))).toBe(true)
	return link
}

for (const org of customerOrgs) {
	test.describe(`${org.name}: email flows`, () => {
		test('sign-up is finished with the emailed code (a wrong one is refused)', async ({ page }) => {
			const user = { email: uniqueEmail('signup'), password: PASSWORD }
			await submitSignUp(page, org, user)
			await expect(page.getByText(`We sent an email to ${user.email}`)).toBeVisible()

			const email = await readEmail(user.email, { template: 'verify-email' })
			expect(email.subject).toBe(`Verify your email for ${org.name}`)
			const code = codeFrom(email)
			const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
			await page.getByLabel('Code', { exact: true }).fill(wrong)
			await page.getByRole('button', { name: 'Verify email' }).click()
			await expect(page.getByText('That code is not valid. Check the newest email, or send a new code.')).toBeVisible()
			await expect(page).toHaveURL(verifyEmailPage(org, user.email))

			await page.getByLabel('Code', { exact: true }).fill(code)
			await page.getByRole('button', { name: 'Verify email' }).click()
			await expectSignedInAs(page, org, user.email)
			await expect(page.getByRole('heading', { name: 'Verify your email address' })).toHaveCount(0)
		})

		test('sign-up is finished by opening the emailed link', async ({ page }) => {
			const user = { email: uniqueEmail('signup'), password: PASSWORD }
			await submitSignUp(page, org, user)

			await page.goto(orgLinkFrom(org, await readEmail(user.email, { template: 'verify-email' })))
			await expect(page.getByRole('heading', { name: 'Verify your email' })).toBeVisible()
			await expect(page.getByText(`Confirm that ${user.email} is your email address.`)).toBeVisible()
			await page.getByRole('button', { name: 'Verify email' }).click()
			await expectSignedInAs(page, org, user.email)
			await expect(page.getByRole('heading', { name: 'Verify your email address' })).toHaveCount(0)
		})

		test('sign-up with an address that has an account answers the same, and tells its owner instead', async ({ page, createUser }) => {
			const owner = await createUser(org)
			await submitSignUp(page, org, { email: owner.email, password: NEW_PASSWORD })
			await expect(page.getByText(`We sent an email to ${owner.email}`)).toBeVisible()

			const notice = await readEmail(owner.email, { template: 'account-exists' })
			expect(notice.text).toContain(host(org.slug, '/forgot-password'))
			// Only the one from the owner's own sign-up: nothing here verifies or signs anyone in.
			expect(await countEmails(owner.email, 'verify-email')).toBe(1)
			await page.goto(host(org.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(org))
			await expectWrongPassword(page, org, { ...owner, password: NEW_PASSWORD })
		})

		test('an unverified account is reminded on /account and verifies from there', async ({ page }) => {
			const user = { email: uniqueEmail('later'), password: PASSWORD }
			await submitSignUp(page, org, user)
			const fromSignUp = await readEmail(user.email, { template: 'verify-email' })
			// The org does not require a verified address, so the password signs in without it.
			await signIn(page, org, user)
			await expectSignedInAs(page, org, user.email)
			const reminder = page.getByRole('region', { name: 'Verify your email address' })
			await expect(reminder).toBeVisible()
			await reminder.getByRole('button', { name: 'Send verification email' }).click()
			await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()
			await expect(page.getByText(`We sent an email to ${user.email}. Open its link, or enter the code from it.`)).toBeVisible()

			// The code from this newest email verifies; the link would too (see the sign-up tests).
			const fromAccount = await readEmail(user.email, { template: 'verify-email', after: fromSignUp })
			await page.getByLabel('Code').fill(codeFrom(fromAccount))
			await page.getByRole('button', { name: 'Verify email' }).click()
			await expect(page).toHaveURL(host(org.slug, '/account?notice=email-verified'))
			await expect(page.getByRole('status')).toHaveText('Your email address is verified.')
			await expect(page.getByRole('heading', { name: 'Verify your email address' })).toHaveCount(0)
		})

		test('forgot password: the emailed link sets a new password, the old one stops working, the link works once', async ({ page, createUser }) => {
			const user = await createUser(org)
			await page.goto(host(org.slug, '/login'))
			await page.getByRole('link', { name: 'Forgot password?' }).click()
			await expect(page).toHaveURL(host(org.slug, '/forgot-password'))
			// A client-side navigation: wait for the new page before typing (/login has an Email field too).
			await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
			await requestEmail(page, user.email, 'Send reset link')

			const email = await readEmail(user.email, { template: 'reset-password' })
			expect(email.subject).toContain(org.name)
			const link = orgLinkFrom(org, email)
			await page.goto(link)
			await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
			await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
			await page.getByRole('button', { name: 'Set new password' }).click()
			await expect(page).toHaveURL(host(org.slug, '/login?notice=password-reset'))
			await expect(page.getByRole('status')).toHaveText('Your password was changed, and every device and app was signed out. Sign in with your new password.')
			await readEmail(user.email, { template: 'password-changed' })

			await expectWrongPassword(page, org, user)
			await signIn(page, org, { ...user, password: NEW_PASSWORD })
			await expectSignedInAs(page, org, user.email)

			await page.goto(link)
			await expectLinkRefused(page, 'This link has already been used.')
			await expect(page.getByRole('link', { name: 'Send a new password reset link' })).toHaveAttribute('href', '/forgot-password')
		})

		test('a sign-in link from the email signs in, once', async ({ page, createUser }) => {
			const user = await createUser(org)
			await page.goto(host(org.slug, '/login'))
			await page.getByRole('link', { name: 'Email me a sign-in link' }).click()
			await expect(page).toHaveURL(host(org.slug, '/login/link'))
			await expect(page.getByRole('heading', { name: 'Email me a sign-in link' })).toBeVisible()
			await requestEmail(page, user.email, 'Send sign-in link')

			const link = orgLinkFrom(org, await readEmail(user.email, { template: 'magic-link' }))
			await page.goto(link)
			await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
			await expect(page.getByText(`Continue as ${user.email}.`)).toBeVisible()
			// Opening the link (as a mail scanner does) signs nobody in; the button does.
			await page.goto(host(org.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(org))
			await page.goto(link)
			await page.getByRole('button', { name: 'Sign in', exact: true }).click()
			await expectSignedInAs(page, org, user.email)

			await signOut(page, org)
			await page.goto(link)
			await expectLinkRefused(page, 'This link has already been used.')
			await page.goto(host(org.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(org))
		})

		test('an expired sign-in link says so and offers a new one', async ({ page, createUser }) => {
			const user = await createUser(org)
			await page.goto(host(org.slug, '/login/link'))
			await requestEmail(page, user.email, 'Send sign-in link')
			const first = await readEmail(user.email, { template: 'magic-link' })
			await expireVerifications(user.email, 'magic-link')

			await page.goto(linkFrom(first))
			await expectLinkRefused(page, 'This link has expired.')
			await page.getByRole('link', { name: 'Send a new sign-in link' }).click()
			await expect(page).toHaveURL(host(org.slug, '/login/link'))
			await requestEmail(page, user.email, 'Send sign-in link')

			await page.goto(orgLinkFrom(org, await readEmail(user.email, { template: 'magic-link', after: first })))
			await page.getByRole('button', { name: 'Sign in', exact: true }).click()
			await expectSignedInAs(page, org, user.email)
		})

		test('an emailed code signs in', async ({ page, createUser }) => {
			const user = await createUser(org)
			await page.goto(host(org.slug, '/login'))
			await page.getByRole('link', { name: 'Email me a code' }).click()
			await expect(page).toHaveURL(host(org.slug, '/login/code'))
			await expect(page.getByRole('heading', { name: 'Email me a code' })).toBeVisible()
			await page.getByLabel('Email', { exact: true }).fill(user.email)
			await page.getByRole('button', { name: 'Send code' }).click()
			await expect(page).toHaveURL(host(org.slug, `/verify?${new URLSearchParams({ type: 'sign-in-code', target: user.email })}`))
			await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()

			await enterCode(page, user.email, 'sign-in-code')
			await expectSignedInAs(page, org, user.email)
		})

		test('change email: the link sent to the new address moves the account to it', async ({ page, createUser }) => {
			const user = await createUser(org)
			const newEmail = uniqueEmail('moved')
			await signIn(page, org, user)
			await expectSignedInAs(page, org, user.email)
			await page.getByRole('link', { name: 'Change email' }).click()
			await expect(page).toHaveURL(host(org.slug, '/account/email'))
			await page.getByLabel('New email', { exact: true }).fill(newEmail)
			await page.getByLabel('Password', { exact: true }).fill(user.password)
			await page.getByRole('button', { name: 'Send confirmation link' }).click()
			await expect(page.getByRole('heading', { name: 'Check your new inbox' })).toBeVisible()
			await expect(page.getByRole('status')).toContainText(`We sent a link to ${newEmail}.`)

			// Nothing changes until the new address proves it is theirs.
			await page.goto(host(org.slug, '/account'))
			await expectSignedInAs(page, org, user.email)

			await page.goto(orgLinkFrom(org, await readEmail(newEmail, { template: 'email-change-requested' })))
			await expect(page.getByRole('heading', { name: 'Confirm your new email' })).toBeVisible()
			await page.getByRole('button', { name: 'Confirm new email' }).click()
			await expect(page).toHaveURL(host(org.slug, '/account?notice=email-changed'))
			await expect(page.getByRole('status')).toHaveText('Your email address was changed. We told your previous address.')
			await expect(page.getByTestId('account-email')).toHaveText(newEmail)
			const notice = await readEmail(user.email, { template: 'email-changed' })
			expect(notice.text).toContain(newEmail)

			await signOut(page, org)
			await expectWrongPassword(page, org, user)
			await signIn(page, org, { ...user, email: newEmail })
			await expectSignedInAs(page, org, newEmail)
		})

		test('change password: the new one signs in, the old one no longer does', async ({ page, createUser }) => {
			const user = await createUser(org)
			await signIn(page, org, user)
			await expectSignedInAs(page, org, user.email)
			await page.getByRole('link', { name: 'Change password' }).click()
			await expect(page).toHaveURL(host(org.slug, '/account/password'))
			await page.getByLabel('Current password', { exact: true }).fill(user.password)
			await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
			await page.getByRole('button', { name: 'Change password' }).click()
			await expect(page).toHaveURL(host(org.slug, '/account?notice=password-changed'))
			await expect(page.getByRole('status')).toHaveText('Your password was changed. Every other device and every app was signed out.')
			await expect(page.getByTestId('account-email')).toHaveText(user.email)
			await readEmail(user.email, { template: 'password-changed' })

			await signOut(page, org)
			await expectWrongPassword(page, org, user)
			await signIn(page, org, { ...user, password: NEW_PASSWORD })
			await expectSignedInAs(page, org, user.email)
		})
	})

	test.describe(`${org.name}: email flows without JavaScript`, () => {
		test.use({ javaScriptEnabled: false })

		test('forgot password and reset', async ({ page, createUser }) => {
			const user = await createUser(org)
			await page.goto(host(org.slug, '/forgot-password'))
			await requestEmail(page, user.email, 'Send reset link')

			await page.goto(orgLinkFrom(org, await readEmail(user.email, { template: 'reset-password' })))
			await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
			// The strength meter needs JavaScript; the plain field still works.
			await expect(page.locator('[aria-live]')).toHaveCount(0)
			await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
			await page.getByRole('button', { name: 'Set new password' }).click()
			await expect(page).toHaveURL(host(org.slug, '/login?notice=password-reset'))

			await expectWrongPassword(page, org, user)
			await signIn(page, org, { ...user, password: NEW_PASSWORD })
			await expectSignedInAs(page, org, user.email)
		})

		test('email code sign-in', async ({ page, createUser }) => {
			const user = await createUser(org)
			await page.goto(host(org.slug, '/login/code'))
			await page.getByLabel('Email', { exact: true }).fill(user.email)
			await page.getByRole('button', { name: 'Send code' }).click()
			await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()
			await enterCode(page, user.email, 'sign-in-code')
			await expectSignedInAs(page, org, user.email)
		})
	})
}

test.describe('links across orgs', () => {
	for (const [from, to] of [
		[orgs.acme, orgs.globex],
		[orgs.globex, orgs.acme],
	] as const) {
		test(`a sign-in link from ${from.name} cannot be used on ${to.name}'s host, and still works on ${from.name}'s`, async ({ page, createUser }) => {
			const user = await createUser(from)
			await page.goto(host(from.slug, '/login/link'))
			await requestEmail(page, user.email, 'Send sign-in link')
			const link = orgLinkFrom(from, await readEmail(user.email, { template: 'magic-link' }))

			const elsewhere = new URL(link)
			elsewhere.hostname = `${to.slug}.localhost`
			const response = await page.goto(elsewhere.toString())
			expect(response?.status()).toBe(400)
			await expectLinkRefused(page, 'This link is not valid here. It may be incomplete, or meant for another organization.')
			await expect(page.locator('body')).not.toContainText(user.email)
			await page.goto(host(to.slug, '/account'))
			await expect(page).toHaveURL(loginRedirect(to))

			await page.goto(link)
			await page.getByRole('button', { name: 'Sign in', exact: true }).click()
			await expectSignedInAs(page, from, user.email)
		})
	}
})

test('the password strength meter loads when typing starts and rates what is typed', async ({ page }) => {
	await page.goto(host(orgs.acme.slug, '/signup'))
	const password = page.getByLabel('Password', { exact: true })
	const meter = page.locator('[aria-live="polite"]')
	// Hydrated: the meter is on the page (empty), described by the field.
	await expect(meter).toHaveCount(1)
	await expect(meter).toBeEmpty()
	const scripts: string[] = []
	page.on('request', (request) => {
		if (request.resourceType() === 'script') scripts.push(request.url())
	})

	await password.fill('password')
	await expect(meter).toHaveText(/^Password strength: Too weak/)
	expect(scripts.length, 'the strength checker is fetched only once typing starts').toBeGreaterThan(0)

	await password.fill(randomPassphrase())
	await expect(meter).toHaveText('Password strength: Strong')
	await expect(password).toHaveAttribute('aria-describedby', new RegExp(`(^| )${await meter.getAttribute('id')}( |$)`))
})
