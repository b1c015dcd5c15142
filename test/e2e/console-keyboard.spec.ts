import { type Page } from '@playwright/test'
import { chooseWithArrows, expect, randomTag, signInByKeyboard, skipToContent, tabAndType, tabTo, test, type ConsoleOrg } from './console'
import { host, operatorAdmin, operatorHost, readEmail, uniqueEmail } from './fixtures'

/**
 * Issue 7: the consoles are usable by keyboard alone. Every flow here moves focus only with Tab
 * and Shift+Tab and acts with Enter, Space, arrows and typing: nothing is clicked. The flows the
 * issue also wants without JavaScript run again with scripts off, as plain form posts. They run
 * in a throwaway org (console.ts), each under names of its own.
 */

type Flow = { title: string; run: (page: Page, org: ConsoleOrg) => Promise<void>; withoutScripts: boolean }

async function inviteWithRole(page: Page, org: ConsoleOrg) {
	const email = uniqueEmail('invitee')
	await page.goto(host(org.slug, '/admin/invitations'))
	await skipToContent(page)
	const emailField = page.getByLabel('Email', { exact: true })
	const role = page.getByLabel('Role', { exact: true })
	const send = page.getByRole('button', { name: 'Send invitation' })
	await page.keyboard.press('Tab')
	await expect(emailField).toBeFocused()
	await page.keyboard.type(email)
	await page.keyboard.press('Tab')
	await expect(role).toBeFocused()
	await chooseWithArrows(page, role, 'admin')
	await page.keyboard.press('Tab')
	await expect(send).toBeFocused()
	await page.keyboard.press('Shift+Tab')
	await expect(role).toBeFocused()
	await expect(role.locator('option:checked')).toHaveText('admin')
	await page.keyboard.press('Tab')
	await page.keyboard.press('Enter')

	await expect(page.getByRole('status')).toHaveText(`Invitation sent to ${email}.`)
	const cells = page.getByTestId('invitation-row').filter({ hasText: email }).getByRole('cell')
	await expect(cells.nth(1)).toHaveText('admin')
	await expect(cells.nth(2)).toHaveText('Pending')
	await expect(page.getByRole('button', { name: `Revoke the invitation to ${email}` })).toBeVisible()

	const mail = await readEmail(email, { template: 'invitation' })
	expect(mail.text).toContain(org.name)
	const link = /https?:\/\/[^\s[\]<>"]+\/invitations\/accept\?token=[\w-]+/.exec(mail.text)?.[0]
	expect(new URL(link ?? 'http://nowhere/').host, mail.text).toBe(new URL(host(org.slug)).host)
}

async function createTeamAndAddMember(page: Page, org: ConsoleOrg) {
	const name = `Team ${randomTag()}`
	await page.goto(host(org.slug, '/admin/teams'))
	await skipToContent(page)
	// Past the links of the teams already listed, to the create form.
	await tabAndType(page, page.getByLabel('Name', { exact: true }), name)
	await page.keyboard.press('Tab')
	await expect(page.getByLabel('Description', { exact: true })).toBeFocused()
	await page.keyboard.type('Answers the support inbox')
	await page.keyboard.press('Tab')
	await expect(page.getByRole('button', { name: 'Create team' })).toBeFocused()
	await page.keyboard.press('Enter')

	await expect(page).toHaveURL(/\/admin\/teams\/[\w-]+\?created=1$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
	await expect(page.getByRole('status')).toHaveText('Team created.')
	await expect(page.getByText('No members yet.')).toBeVisible()

	await tabAndType(page, page.getByLabel('Email', { exact: true }), org.member.email)
	await page.keyboard.press('Tab')
	await expect(page.getByRole('button', { name: 'Add member' })).toBeFocused()
	await page.keyboard.press('Enter')
	await expect(page.getByRole('status')).toHaveText(`${org.member.email} was added.`)
	const members = page.getByRole('region', { name: 'Members' }).getByRole('listitem')
	await expect(members).toHaveCount(1)
	await expect(members).toContainText(org.member.email)
	await expect(page.getByRole('button', { name: `Remove ${org.member.email}` })).toBeVisible()

	await page.goto(host(org.slug, '/admin/teams'))
	await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) }).getByRole('cell').last()).toHaveText('1')
}

async function createRoleWithStatements(page: Page, org: ConsoleOrg) {
	const name = `Reviewer ${randomTag()}`
	await page.goto(host(org.slug, '/admin/roles'))
	await skipToContent(page)
	await tabTo(page, page.getByRole('link', { name: 'Create a custom role' }))
	await page.keyboard.press('Enter')
	await expect(page).toHaveURL(host(org.slug, '/admin/roles/new'))

	await tabAndType(page, page.getByLabel('Name', { exact: true }), name)
	await page.keyboard.press('Tab')
	await page.keyboard.type('Reads users and teams')
	// The statement grid: the first box follows the description; Space ticks the focused box.
	const userRead = page.locator('#statement-user-read')
	const teamRead = page.locator('#statement-team-read')
	await page.keyboard.press('Tab')
	await expect(userRead).toBeFocused()
	await page.keyboard.press('Space')
	await expect(userRead).toBeChecked()
	await tabTo(page, teamRead)
	await page.keyboard.press('Space')
	await expect(teamRead).toBeChecked()
	await tabTo(page, page.getByRole('button', { name: 'Create role' }))
	await page.keyboard.press('Enter')

	await expect(page).toHaveURL(/\/admin\/roles\/[\w-]+\?saved=1$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
	await expect(page.getByRole('status')).toHaveText('Changes saved.')
	await expect(userRead).toBeChecked()
	await expect(teamRead).toBeChecked()
	await expect(page.locator('#statement-user-create')).not.toBeChecked()

	await page.goto(host(org.slug, '/admin/roles'))
	await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) }).getByRole('cell').nth(1)).toHaveText('user: read · team: read')
}

async function disableAndEnableUser(page: Page, org: ConsoleOrg) {
	await page.goto(host(org.slug, '/admin/users'))
	await skipToContent(page)
	await page.keyboard.press('Tab')
	await expect(page.getByLabel('Search by email')).toBeFocused()
	await page.keyboard.type(org.member.email)
	await page.keyboard.press('Tab')
	await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeFocused()
	await page.keyboard.press('Enter')
	await expect(page).toHaveURL(host(org.slug, `/admin/users?${new URLSearchParams({ q: org.member.email })}`))
	await expect(page.getByTestId('user-row')).toHaveCount(1)

	await tabTo(page, page.getByRole('link', { name: org.member.email }))
	await page.keyboard.press('Enter')
	await expect(page).toHaveURL(host(org.slug, `/admin/users/${org.member.id}`))
	await expect(page.getByTestId('user-status')).toHaveText('active')

	await tabTo(page, page.getByRole('button', { name: 'Disable', exact: true }))
	await page.keyboard.press('Enter')
	await expect(page.getByRole('status')).toHaveText('The user is disabled and signed out everywhere.')
	await expect(page.getByTestId('user-status')).toHaveText('disabled')

	await tabTo(page, page.getByRole('button', { name: 'Enable', exact: true }))
	await page.keyboard.press('Enter')
	await expect(page.getByRole('status')).toHaveText('The user is enabled and can sign in again.')
	await expect(page.getByTestId('user-status')).toHaveText('active')
}

/** Flips "Email on sign-in from a new browser" (harmless to the sign-ins of the other flows). */
async function changeSignInSetting(page: Page, org: ConsoleOrg) {
	await page.goto(host(org.slug, '/admin/settings'))
	const setting = page.getByLabel('Email on sign-in from a new browser', { exact: true })
	const next = (await setting.inputValue()) === 'off' ? 'On' : 'Off'
	await skipToContent(page)
	await tabTo(page, setting)
	await chooseWithArrows(page, setting, next)
	await tabTo(page, page.getByRole('button', { name: 'Save settings' }))
	await page.keyboard.press('Enter')

	await expect(page).toHaveURL(host(org.slug, '/admin/settings?saved=1'))
	await expect(page.getByRole('status')).toHaveText('Settings saved. The sign-in pages use them from now on.')
	await page.goto(host(org.slug, '/admin/settings'))
	await expect(setting.locator('option:checked')).toHaveText(next)
}

async function filterAuditByType(page: Page, org: ConsoleOrg) {
	await page.goto(host(org.slug, '/admin/audit'))
	const types = page.locator('tbody tr td:nth-child(3)')
	// Unfiltered, the log holds other events too (the org's onboarding, its invitations).
	await expect(types.filter({ hasNotText: 'user.signed_in' }).first()).toBeVisible()
	await skipToContent(page)
	await tabAndType(page, page.getByLabel('Event type', { exact: true }), 'user.signed_in')
	await tabTo(page, page.getByRole('button', { name: 'Apply filters' }))
	await page.keyboard.press('Enter')

	await expect(page).toHaveURL(/[?&]type=user\.signed_in(&|$)/)
	await expect(page.getByLabel('Event type', { exact: true })).toHaveValue('user.signed_in')
	await expect(types.first()).toHaveText('user.signed_in')
	await expect(types.filter({ hasNotText: 'user.signed_in' })).toHaveCount(0)
	// This test's own sign-in is among them.
	await expect(page.locator('tbody tr').filter({ hasText: org.owner.email }).first()).toBeVisible()
}

/** A bad address is refused with the message beside the field, which points at it. */
async function refuseBadInvitation(page: Page, org: ConsoleOrg) {
	await page.goto(host(org.slug, '/admin/invitations'))
	await skipToContent(page)
	await page.keyboard.press('Tab')
	await page.keyboard.type('not-an-email')
	await tabTo(page, page.getByRole('button', { name: 'Send invitation' }))
	const answer = page.waitForResponse((response) => response.request().method() === 'POST')
	await page.keyboard.press('Enter')
	expect((await answer).status()).toBe(400)

	const field = page.getByLabel('Email', { exact: true })
	await expect(field).toHaveAttribute('aria-invalid', 'true')
	await expect(field).toHaveValue('not-an-email')
	await expect(field).toHaveAccessibleDescription(/Enter a valid email address/)
	const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'))
	expect(errorId, 'aria-describedby names the error').toBeTruthy()
	const error = page.locator(`[id="${errorId}"]`)
	await expect(error).toHaveText('Enter a valid email address')
	// Next to the field: in the field's own group, right under it (after its hint).
	expect(await error.evaluate((element, input) => element.parentElement === input?.parentElement, await field.elementHandle())).toBe(true)
	await expect(page.getByTestId('invitation-row').filter({ hasText: 'not-an-email' })).toHaveCount(0)
}

const flows: Flow[] = [
	{ title: 'invites a person with a role', run: inviteWithRole, withoutScripts: true },
	{ title: 'creates a team and adds a member', run: createTeamAndAddMember, withoutScripts: true },
	{ title: 'creates a custom role from ticked statements', run: createRoleWithStatements, withoutScripts: false },
	{ title: "disables and re-enables a user from the user's page", run: disableAndEnableUser, withoutScripts: false },
	{ title: 'changes a sign-in setting and sees it saved', run: changeSignInSetting, withoutScripts: true },
	{ title: 'filters the audit log by event type', run: filterAuditByType, withoutScripts: false },
	{ title: 'is told, on the field, that "not-an-email" is not an address', run: refuseBadInvitation, withoutScripts: true },
]

for (const flow of flows) {
	test(`by keyboard, the owner ${flow.title}`, async ({ page, consoleOrg }) => {
		await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.owner)
		await flow.run(page, consoleOrg)
	})
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })
	for (const flow of flows.filter((flow) => flow.withoutScripts)) {
		test(`by keyboard and plain form posts, the owner ${flow.title}`, async ({ page, consoleOrg }) => {
			await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.owner)
			await flow.run(page, consoleOrg)
		})
	}
})

test('by keyboard, the operator suspends an org it just onboarded: its host answers 503 "not available" until resumed', async ({ page, browser, extraHTTPHeaders }) => {
	const tag = randomTag()
	const slug = `sus-${tag}`
	const name = `Suspendable ${tag}`
	await signInByKeyboard(page, operatorHost('/login'), operatorAdmin())
	await page.goto(operatorHost('/operator/orgs'))
	await skipToContent(page)
	await tabAndType(page, page.getByLabel('Name', { exact: true }), name)
	await page.keyboard.press('Tab')
	await expect(page.getByLabel('Slug', { exact: true })).toBeFocused()
	await page.keyboard.type(slug)
	await tabAndType(page, page.getByLabel("First admin's email", { exact: true }), `owner-${slug}@example.com`)
	await page.keyboard.press('Tab')
	await expect(page.getByRole('button', { name: 'Create organization' })).toBeFocused()
	await page.keyboard.press('Enter')
	await expect(page.getByTestId('onboarded')).toContainText(`${name} (${slug}) was created.`)
	await tabTo(page, page.getByRole('link', { name: `Open ${name}` }))
	await page.keyboard.press('Enter')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
	await expect(page.getByTestId('org-status')).toHaveText('Active')

	// A visitor of the org's host, in a browser of their own.
	const visitor = await (await browser.newContext({ extraHTTPHeaders })).newPage()
	try {
		const before = await visitor.goto(host(slug, '/login'))
		expect(before?.status()).toBe(200)
		await expect(visitor.getByRole('heading', { name: 'Sign in' })).toBeVisible()

		await tabTo(page, page.getByRole('button', { name: `Suspend ${name}` }))
		await page.keyboard.press('Enter')
		await expect(page.getByRole('status')).toContainText(`${name} is suspended`)
		await expect(page.getByTestId('org-status')).toHaveText(/^Suspended since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/)

		for (const path of ['/login', '/admin/users']) {
			const response = await visitor.goto(host(slug, path))
			expect(response?.status(), path).toBe(503)
			await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Not available')
			await expect(visitor.getByText('This sign-in page is not available right now.')).toBeVisible()
			// Neutral: it names neither the org nor the platform.
			for (const word of [name, slug, 'Foyer', 'suspend']) expect((await visitor.content()).toLowerCase()).not.toContain(word.toLowerCase())
		}

		await tabTo(page, page.getByRole('button', { name: `Resume ${name}` }))
		await page.keyboard.press('Enter')
		await expect(page.getByRole('status')).toHaveText(`${name} is active again.`)
		await expect(page.getByTestId('org-status')).toHaveText('Active')

		const after = await visitor.goto(host(slug, '/login'))
		expect(after?.status()).toBe(200)
		await expect(visitor.getByRole('heading', { name: 'Sign in' })).toBeVisible()
		await expect(visitor.getByText(name, { exact: true })).toBeVisible()
	} finally {
		await visitor.context().close()
	}
})
