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
	await expectEachNamed(fields, `${where}: field`)
	expect.soft(await fields.evaluateAll(unlabelledFields), `${where}: fields without a label`).toEqual([])
	for (const role of ['button', 'link', 'img'] as const) await expectEachNamed(page.getByRole(role), `${where}: ${role}`)
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

/** Each element `all` matches has a non-empty accessible name (as assistive technology computes it). */
async function expectEachNamed(all: Locator, what: string) {
	const html = await all.evaluateAll((elements) => elements.map((element) => element.outerHTML.slice(0, 160)))
	for (const [i, element] of (await all.all()).entries()) await expect.soft(element, `${what} ${html[i]} has a name`).toHaveAccessibleName(/\S/)
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
 * Presses Tab from the top of the page until focus leaves the document or comes round again, a
 * focus listener marking each element it lands on, then lists the enabled, visible controls it
 * never reached (of a radio group one radio is a tab stop). A focus trap shows as running out of
 * presses. Tab also steps through a date input's parts and a frame's inside: no new focus there.
 */
async function unreachableByTab(page: Page, maxPresses = 400): Promise<string[]> {
	await page.evaluate(() => {
		const state = { last: null as Element | null, done: false }
		Object.assign(window, { __tabWalk: state })
		document.addEventListener('focusin', (event) => {
			const element = event.target as Element
			if (element.hasAttribute('data-tab-stop') && element !== state.last) state.done = true
			element.setAttribute('data-tab-stop', '')
			state.last = element
		})
		// The window loses focus when focus leaves the document, or moves into a frame (a stop).
		window.addEventListener('blur', () => {
			const active = document.activeElement
			if (active?.tagName !== 'IFRAME') state.done = true
			else if (active !== state.last) {
				if (active.hasAttribute('data-tab-stop')) state.done = true
				active.setAttribute('data-tab-stop', '')
				state.last = active
			}
		})
	})
	// Checked every few presses: a press past the end only comes round to a marked element.
	for (let presses = 0; ; presses += 5) {
		if (presses >= maxPresses) return [`still moving after ${maxPresses} presses of Tab: a focus trap?`]
		for (let i = 0; i < 5; i++) await page.keyboard.press('Tab')
		if (await page.evaluate(() => (window as unknown as { __tabWalk: { done: boolean } }).__tabWalk.done)) break
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
