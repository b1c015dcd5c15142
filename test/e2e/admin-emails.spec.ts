import { type Page } from '@playwright/test'
import { expect, signInByKeyboard, skipToContent, tabAndType, tabTo, test, type ConsoleOrg } from './console'
import { host, readEmail } from './fixtures'

/**
 * /admin/emails by keyboard alone, with scripts and with plain form posts: an owner opens a
 * template, is told on the field that a code may not go in a subject, previews unsaved wording
 * (the sandboxed frame shows it), saves it, sends a test to their own address and resets it.
 * Every step moves focus by Tab and acts with Enter.
 */
async function editPreviewSaveTestReset(page: Page, org: ConsoleOrg) {
	await page.goto(host(org.slug, '/admin/emails'))
	await skipToContent(page)
	await tabTo(page, page.getByRole('link', { name: 'Edit Sign-in link' }))
	await page.keyboard.press('Enter')
	await expect(page).toHaveURL(host(org.slug, '/admin/emails/magic-link'))
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign-in link')

	// With scripts the link was a client-side navigation: focus stays where it was, so no skip link first.
	const subject = page.getByLabel('Subject', { exact: true })
	await tabAndType(page, subject, 'Your code {{code}}')
	await tabTo(page, page.getByRole('button', { name: 'Save', exact: true }))
	await page.keyboard.press('Enter')
	await expect(page.getByText(/Subject: unknown variable \{\{code\}\}/)).toBeVisible()
	await expect(subject).toHaveAttribute('aria-invalid', 'true')

	await tabTo(page, subject, { backwards: true })
	await page.keyboard.press('ControlOrMeta+A')
	await page.keyboard.type('Come back to {{org.name}}')
	await tabAndType(page, page.getByLabel('Heading', { exact: true }), 'Hello again')
	await tabTo(page, page.getByRole('button', { name: 'Preview', exact: true }))
	await page.keyboard.press('Enter')
	await expect(page.getByRole('status')).toHaveText('The preview shows the wording in the form. It is not saved yet.')
	await expect(page.getByTestId('preview-subject')).toHaveText(`Come back to ${org.name}`)
	await expect(page.frameLocator('iframe[title="Preview: Sign-in link, light"]').getByRole('heading', { level: 1 })).toHaveText('Hello again')
	await expect(page.getByTestId('preview-text')).toContainText("Don't forward it")

	await tabTo(page, page.getByRole('button', { name: 'Save', exact: true }), { backwards: true })
	await page.keyboard.press('Enter')
	await expect(page).toHaveURL(host(org.slug, '/admin/emails/magic-link?saved=1'))
	await expect(page.getByRole('status')).toHaveText('Saved. The next sign-in link message uses this wording.')
	await expect(page.getByLabel('Heading', { exact: true })).toHaveValue('Hello again')

	await tabTo(page, page.getByRole('button', { name: 'Send me a test' }))
	await page.keyboard.press('Enter')
	await expect(page.getByRole('status')).toContainText(`A test was sent to ${org.owner.email}`)
	const mail = await readEmail(org.owner.email, { template: 'magic-link' })
	expect(mail.subject).toBe(`[Test] Come back to ${org.name}`)
	expect(mail.text).toContain('Hello again')

	await tabTo(page, page.getByRole('button', { name: 'Reset to default' }))
	await page.keyboard.press('Enter')
	await expect(page).toHaveURL(host(org.slug, '/admin/emails/magic-link?reset=1'))
	await expect(page.getByLabel('Heading', { exact: true })).toHaveValue('')
	await expect(page.getByTestId('preview-subject')).toHaveText(`Your ${org.name} sign-in link`)
}

test('by keyboard, the owner edits, previews, saves, tests and resets an email', async ({ page, consoleOrg }) => {
	await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.owner)
	await editPreviewSaveTestReset(page, consoleOrg)
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })
	test('by keyboard and plain form posts, the owner edits, previews, saves, tests and resets an email', async ({ page, consoleOrg }) => {
		await signInByKeyboard(page, host(consoleOrg.slug, '/login'), consoleOrg.owner)
		await editPreviewSaveTestReset(page, consoleOrg)
	})
})
