import { randomBytes } from 'node:crypto'
import { type Browser, type Locator, type Page } from '@playwright/test'
import { test as base, expect, host, operatorAdmin, operatorHost, PASSWORD, readEmail, type User } from './fixtures'

/**
 * Helpers of the console specs (console-a11y.spec.ts, console-keyboard.spec.ts): an org of their
 * own with an owner, and keyboard-only steps. The checks every page passes are in a11y.ts.
 */

/**
 * A throwaway org onboarded the way the operator does it, so its first user is an owner: acme's
 * owner has a password only the server's first start printed, an admin may not define roles, and
 * the flows here must leave acme and globex as the other specs expect them.
 */
export type ConsoleOrg = {
	slug: string
	name: string
	owner: User
	/** An admin: sees the console with what an admin may not do greyed out. */
	admin: User
	/** A member with no console: the user whose page the specs open, disable and add to teams. */
	member: { id: string; email: string }
	teamId: string
	roleId: string
	clientId: string
}

/** A random slug part; the org, its people and its things are named after it. */
export function randomTag(): string {
	return randomBytes(3).toString('hex')
}

/** Each worker's own client address, as fixtures.ts gives each test (the per-IP email limit). */
function visitorHeaders() {
	const [a, b, c] = randomBytes(3)
	return { 'X-Forwarded-For': `10.${a}.${b}.${(c! % 254) + 1}` }
}

async function createConsoleOrg(browser: Browser): Promise<ConsoleOrg> {
	const tag = randomTag()
	const slug = `con-${tag}`
	const name = `Console ${tag}`
	const owner = { email: `owner-${slug}@example.com`, password: PASSWORD }
	const context = await browser.newContext({ extraHTTPHeaders: visitorHeaders() })
	try {
		const page = await context.newPage()
		await signInWithPassword(page, operatorHost('/login'), operatorAdmin())
		await page.goto(operatorHost('/operator/orgs'))
		await page.getByLabel('Name', { exact: true }).fill(name)
		await page.getByLabel('Slug', { exact: true }).fill(slug)
		await page.getByLabel("First admin's email", { exact: true }).fill(owner.email)
		await page.getByRole('button', { name: 'Create organization' }).click()
		await expect(page.getByTestId('onboarded')).toContainText(`sent to ${owner.email}`)

		const invitation = await readEmail(owner.email, { template: 'invitation' })
		const link = /https?:\/\/[^\s[\]<>"]+\/invitations\/accept\?token=[\w-]+/.exec(invitation.text)?.[0]
		if (!link) throw new Error(`No invitation link in:\n${invitation.text}`)
		await page.goto(link)
		await page.getByLabel('Password', { exact: true }).fill(owner.password)
		await page.getByRole('button', { name: 'Create account' }).click()
		await expect(page).not.toHaveURL(/invitations\/accept/)

		// The owner's session (the accepted invitation signed them in) sets up the rest.
		const admin = await createUserAs(page, slug, `admin-${slug}@example.com`, 'admin')
		const member = await createUserAs(page, slug, `member-${slug}@example.com`, 'member')

		await page.goto(host(slug, '/admin/apps'))
		await page.getByLabel('Name', { exact: true }).fill(`Portal ${tag}`)
		await page.getByLabel('Redirect URIs', { exact: true }).fill('https://portal.example.com/callback')
		await page.getByRole('button', { name: 'Create app' }).click()
		const clientId = (await page.getByTestId('created-client-id').textContent())!.trim()

		await page.goto(host(slug, '/admin/api-keys'))
		await page.getByLabel('Name', { exact: true }).fill(`Reports ${tag}`)
		await page.getByRole('checkbox', { name: 'user:read' }).check()
		await page.getByRole('button', { name: 'Create key' }).click()
		await expect(page.getByTestId('created-key')).toBeVisible()

		await page.goto(host(slug, '/admin/teams'))
		await page.getByLabel('Name', { exact: true }).fill(`Support ${tag}`)
		await page.getByRole('button', { name: 'Create team' }).click()
		await expect(page).toHaveURL(/\/admin\/teams\/[\w-]+\?created=1$/)
		const teamId = new URL(page.url()).pathname.split('/').pop()!
		await page.getByLabel('Email', { exact: true }).fill(member.email)
		await page.getByRole('button', { name: 'Add member' }).click()
		await expect(page.getByRole('status')).toHaveText(`${member.email} was added.`)

		await page.goto(host(slug, '/admin/roles/new'))
		await page.getByLabel('Name', { exact: true }).fill(`Auditor ${tag}`)
		await page.locator('#statement-audit-read').check()
		await page.getByRole('button', { name: 'Create role' }).click()
		await expect(page).toHaveURL(/\/admin\/roles\/[\w-]+\?saved=1$/)
		const roleId = new URL(page.url()).pathname.split('/').pop()!

		// A pending invitation, so the list shows its Resend and Revoke buttons.
		await page.goto(host(slug, '/admin/invitations'))
		await page.getByLabel('Email', { exact: true }).fill(`pending-${slug}@example.com`)
		await page.getByRole('button', { name: 'Send invitation' }).click()
		await expect(page.getByRole('status')).toHaveText(`Invitation sent to pending-${slug}@example.com.`)

		return { slug, name, owner, admin, member, teamId, roleId, clientId }
	} finally {
		await context.close()
	}
}

/** Creates a user on /admin/users, which shows the generated password once. */
async function createUserAs(page: Page, slug: string, email: string, role: string): Promise<User & { id: string }> {
	await page.goto(host(slug, '/admin/users'))
	await page.getByLabel('Email', { exact: true }).fill(email)
	await page.getByLabel('Role', { exact: true }).selectOption(role)
	await page.getByRole('button', { name: 'Create user' }).click()
	const password = (await page.getByTestId('created-password').textContent())!.trim()
	const link = page.getByRole('link', { name: "Open the user's page" })
	const id = decodeURIComponent((await link.getAttribute('href'))!.split('/').pop()!)
	return { id, email, password }
}

async function signInWithPassword(page: Page, loginUrl: string, user: User) {
	await page.goto(loginUrl)
	await page.getByLabel('Email', { exact: true }).fill(user.email)
	await page.getByLabel('Password', { exact: true }).fill(user.password)
	await page.getByRole('button', { name: 'Sign in', exact: true }).click()
	await expect(page).not.toHaveURL(/\/login/)
}

/** The specs' `test`: one ConsoleOrg per worker, made when a test of the worker first asks for it. */
export const test = base.extend<object, { consoleOrg: ConsoleOrg }>({
	consoleOrg: [async ({ browser }, provide) => provide(await createConsoleOrg(browser)), { scope: 'worker', timeout: 120_000 }],
})

export { expect }

// Keyboard-only steps. Focus moves only by Tab and Shift+Tab, so reaching a control proves it
// is in the tab order; no step clicks or focuses from script.

/** Presses Tab (Shift+Tab when `backwards`) until `target` has focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, { backwards = false, max = 80 } = {}): Promise<void> {
	for (let presses = 0; presses < max; presses++) {
		await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
		if (await target.evaluate((element) => element === document.activeElement)) return
	}
	throw new Error(`${String(target)} was not reached with ${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`)
}

/** Types into `field` after tabbing to it (it must be empty, or be meant to be added to). */
export async function tabAndType(page: Page, field: Locator, text: string) {
	await tabTo(page, field)
	await page.keyboard.type(text)
}

/**
 * Picks the option labelled `label` of the focused select with the arrow keys (a closed select
 * changes its value on ArrowDown and ArrowUp, without opening).
 */
export async function chooseWithArrows(page: Page, select: Locator, label: string) {
	await expect(select).toBeFocused()
	const labels = await select.locator('option').allTextContents()
	const want = labels.indexOf(label)
	if (want < 0) throw new Error(`No option "${label}" in ${labels.join(', ')}`)
	const now = await select.evaluate((element) => (element as HTMLSelectElement).selectedIndex)
	for (let i = 0; i < Math.abs(want - now); i++) await page.keyboard.press(want > now ? 'ArrowDown' : 'ArrowUp')
	await expect(select.locator('option:checked')).toHaveText(label)
}

/** Signs in on `loginUrl` by keyboard: the email field has focus when the page opens. */
export async function signInByKeyboard(page: Page, loginUrl: string, user: User) {
	await page.goto(loginUrl)
	const email = page.getByLabel('Email', { exact: true })
	await expect(email).toBeFocused()
	await page.keyboard.type(user.email)
	await page.keyboard.press('Tab')
	await expect(page.getByLabel('Password', { exact: true })).toBeFocused()
	await page.keyboard.type(user.password)
	await page.keyboard.press('Enter')
	await expect(page).not.toHaveURL(/\/login/)
}

/**
 * Takes the console's skip link (the page's first tab stop) into its main region: the next Tab
 * is the page's own first control.
 */
export async function skipToContent(page: Page) {
	await page.keyboard.press('Tab')
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused()
	await page.keyboard.press('Enter')
	await expect(page.getByRole('main')).toBeFocused()
}
