import { expect, type Locator, type Page } from '@playwright/test'

/**
 * What every console page must pass (issue 7: "usable by keyboard, every field has a label"),
 * checked on the rendered page:
 * - one h1, one main landmark, a skip link to it, a title and a language;
 * - every visible input, select and textarea has a label (a <label>, aria-label or
 *   aria-labelledby: a placeholder is not one) and a non-empty accessible name;
 * - every button, link and image has an accessible name;
 * - ids are unique and every for / aria-labelledby / aria-describedby points at one;
 * - Tab walks the whole page without a trap and reaches every enabled, visible control.
 * Failures are soft, so one run lists every problem of every page.
 */
export async function expectAccessibleConsolePage(page: Page) {
	const where = new URL(page.url()).pathname
	await expect.soft(page.locator('h1'), `${where}: exactly one h1`).toHaveCount(1)
	await expect.soft(page.getByRole('main'), `${where}: one main landmark`).toHaveCount(1)
	await expect.soft(page.getByRole('link', { name: 'Skip to content' }), `${where}: a skip link to main`).toHaveAttribute('href', '#main')
	await expect.soft(page.locator('main#main'), `${where}: the skip link's target`).toHaveCount(1)
	await expect.soft(page, `${where}: a title`).toHaveTitle(/\S/)
	await expect.soft(page.locator('html'), `${where}: a language`).toHaveAttribute('lang', /^[a-z]{2}/)

	const fields = page.locator('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea').filter({ visible: true })
	for (const field of await fields.all()) await expect.soft(field, `${where}: ${await describe(field)} has a name`).toHaveAccessibleName(/\S/)
	expect.soft(await fields.evaluateAll(unlabelledFields), `${where}: fields without a label`).toEqual([])

	for (const role of ['button', 'link', 'img'] as const) {
		for (const element of await page.getByRole(role).all()) await expect.soft(element, `${where}: ${role} ${await describe(element)} has a name`).toHaveAccessibleName(/\S/)
	}
	expect.soft(await page.evaluate(brokenReferences), `${where}: duplicate ids and references to no id`).toEqual([])
	expect.soft(await unreachableByTab(page), `${where}: controls Tab does not reach`).toEqual([])
}

/**
 * With scripts off a console page must still do everything: no button may rely on a script to
 * act. Each one submits a form (a real <form> around it, or its form attribute).
 */
export async function expectNoScriptOnlyControls(page: Page) {
	const where = new URL(page.url()).pathname
	const offenders = await page.locator('button').evaluateAll((buttons) =>
		buttons.filter((button) => (button as HTMLButtonElement).type !== 'submit' || !(button as HTMLButtonElement).form).map((button) => button.outerHTML.slice(0, 160)),
	)
	expect.soft(offenders, `${where}: buttons that submit no form`).toEqual([])
}

async function describe(element: Locator) {
	return element.evaluate((node) => node.outerHTML.slice(0, 160))
}

function unlabelledFields(fields: Element[]) {
	return fields
		.filter((field) => {
			const labelled = [...((field as HTMLInputElement).labels ?? [])].some((label) => label.textContent?.trim())
			return !labelled && !field.getAttribute('aria-label')?.trim() && !field.getAttribute('aria-labelledby')?.trim()
		})
		.map((field) => field.outerHTML.slice(0, 160))
}

function brokenReferences() {
	const problems: string[] = []
	const seen = new Set<string>()
	for (const element of document.querySelectorAll('[id]')) {
		if (seen.has(element.id)) problems.push(`duplicate id "${element.id}"`)
		seen.add(element.id)
	}
	for (const attribute of ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls']) {
		for (const element of document.querySelectorAll(`[${attribute}]`)) {
			for (const id of element.getAttribute(attribute)!.split(/\s+/).filter(Boolean)) {
				if (!document.getElementById(id)) problems.push(`${attribute}="${id}" on ${element.outerHTML.slice(0, 120)}`)
			}
		}
	}
	return problems
}

/**
 * Presses Tab from the top of the page until focus leaves the document or comes round again,
 * numbering each element it lands on, then lists the enabled, visible controls it never reached
 * (of a radio group one radio is a tab stop). A focus trap shows as running out of presses.
 */
async function unreachableByTab(page: Page, maxPresses = 400): Promise<string[]> {
	let previous = -1
	for (let presses = 0; ; presses++) {
		if (presses === maxPresses) return [`still moving after ${maxPresses} presses of Tab: a focus trap?`]
		await page.keyboard.press('Tab')
		// The number of the focused element's first visit (this press for a new one), -1 outside the page.
		const stop = await page.evaluate((press) => {
			const element = document.activeElement
			if (!element || element === document.body) return -1
			if (!element.hasAttribute('data-tab-stop')) element.setAttribute('data-tab-stop', String(press))
			return Number(element.getAttribute('data-tab-stop'))
		}, presses)
		// Tab steps through a date input's parts and a frame's inside on one element: still moving.
		if (stop === -1 || (stop !== presses && stop !== previous)) break
		previous = stop
	}
	return page.evaluate(() => {
		const controls = document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, iframe, [tabindex]:not([tabindex="-1"])')
		const reachedRadioGroups = new Set([...document.querySelectorAll<HTMLInputElement>('input[type=radio][data-tab-stop]')].map((radio) => radio.name))
		return [...controls]
			.filter((control) => !control.hasAttribute('data-tab-stop') && !control.matches(':disabled') && control.checkVisibility({ visibilityProperty: true }))
			.filter((control) => !(control instanceof HTMLInputElement && control.type === 'radio' && reachedRadioGroups.has(control.name)))
			.map((control) => control.outerHTML.slice(0, 160))
	})
}
