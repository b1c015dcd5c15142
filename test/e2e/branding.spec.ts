import { randomBytes } from 'node:crypto'
import { type Page } from '@playwright/test'
import { type BrandingInput } from '../../app/modules/branding/document'
import { publishBranding } from '../setup/branding'
import { foyer } from './cli'
import { customerOrgs, enterCode, expect, expectSignedInAs, host, orgs, PASSWORD, submitSignUp, test, uniqueEmail } from './fixtures'
import { sql } from './outbox'

async function primaryButtonColor(page: Page, slug: string) {
	await page.goto(host(slug, '/login'))
	return page.getByRole('button', { name: 'Sign in', exact: true }).evaluate((button) => getComputedStyle(button).backgroundColor)
}

test('each org has its own primary button colour', async ({ page }) => {
	const acme = await primaryButtonColor(page, orgs.acme.slug)
	const globex = await primaryButtonColor(page, orgs.globex.slug)
	expect(acme).not.toBe(globex)
	expect(acme).toBe(orgs.acme.primary)
	expect(globex).toBe(orgs.globex.primary)
})

for (const org of customerOrgs) {
	const others = customerOrgs.filter((other) => other !== org).map((other) => other.name)

	test(`${org.name} pages show ${org.name} and never the vendor's name`, async ({ page }) => {
		const expectNoOtherBrand = async () => {
			await expect(page.locator('body')).not.toContainText(/foyer/i)
			const html = await page.content()
			expect(html).not.toMatch(/foyer/i)
			for (const other of others) expect(html).not.toContain(other)
		}
		const expectOwnBrand = async () => {
			await expect(page.getByText(org.name, { exact: true })).toBeVisible()
			await expect(page).toHaveTitle(new RegExp(org.name))
			await expectNoOtherBrand()
		}

		await page.goto(host(org.slug, '/login'))
		await expectOwnBrand()
		await page.goto(host(org.slug, '/signup'))
		await expectOwnBrand()
		const user = { email: uniqueEmail(), password: PASSWORD }
		await submitSignUp(page, org, user)
		// The "Check your email" page is branded too.
		await expectOwnBrand()
		await enterCode(page, user.email)
		await expectSignedInAs(page, org, user.email)
		await expectOwnBrand()
		// The 404 of a known host is styled with the org's theme; it names nobody else.
		const notFound = await page.goto(host(org.slug, '/no-such-page'))
		expect(notFound?.status()).toBe(404)
		await expectNoOtherBrand()
	})
}

/*
 * The published branding (a BrandingVersion the org points at), on orgs of their own so the
 * other specs keep acme's and globex's legacy look. Published by SQL (test/setup/branding.ts)
 * until the studio exists; the server hears of it through the same change notification.
 */
const sha = (digit: string) => digit.repeat(64)
let orgCount = 0

async function orgWithBranding(input: BrandingInput, css = ''): Promise<{ slug: string; name: string }> {
	const slug = `brand-${process.pid}-${++orgCount}-${randomBytes(2).toString('hex')}`
	const name = `Branded ${orgCount}`
	await foyer(['orgs', 'create', '--name', name, '--slug', slug, '--color', '#0f766e', '--json'])
	await publishBranding(sql, slug, input, css)
	return { slug, name }
}

const bodyBackground = (page: Page) => page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor)

test('a published version shows its name, logos, favicon, texts and links, white-label by default', async ({ page }) => {
	const { slug } = await orgWithBranding({
		displayName: 'Initrode Sign-in',
		logo: { light: { sha256: sha('a'), type: 'png' }, dark: { sha256: sha('b'), type: 'svg' } },
		icon: { sha256: sha('c'), type: 'png' },
		colors: { light: { brand: '#7c3aed' }, dark: { brand: '#a78bfa' } },
		appearance: 'system',
		texts: { signInHeading: 'Welcome to Initrode', signInSubtext: 'Use your work email.', signUpHeading: 'Join Initrode', footerText: 'Initrode, since 1999.' },
		links: { terms: 'https://initrode.example/terms', privacy: 'https://initrode.example/privacy', support: 'https://initrode.example/help' },
	})
	await page.emulateMedia({ colorScheme: 'light' })
	await page.goto(host(slug, '/login'))
	await expect(page).toHaveTitle('Sign in · Initrode Sign-in')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to Initrode')
	await expect(page.getByText('Use your work email.')).toBeVisible()
	await expect(page.getByText('Initrode, since 1999.')).toBeVisible()
	await expect(page.locator('link[rel=icon]')).toHaveAttribute('href', `/assets/${sha('c')}.png`)

	const logo = page.getByRole('img', { name: 'Initrode Sign-in' })
	await expect(logo).toHaveAttribute('src', `/assets/${sha('a')}.png`)
	expect(await logo.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(new RegExp(`/assets/${sha('a')}\\.png$`))

	const footer = page.getByRole('navigation', { name: 'Policies and help' })
	for (const [name, href] of [
		['Terms', 'https://initrode.example/terms'],
		['Privacy', 'https://initrode.example/privacy'],
		['Support', 'https://initrode.example/help'],
	] as const) {
		const link = footer.getByRole('link', { name })
		await expect(link).toHaveAttribute('href', href)
		await expect(link).toHaveAttribute('rel', 'noopener')
		// The same tab: no target, so no new window takes the visitor away from the sign-in.
		await expect(link).not.toHaveAttribute('target', /.*/)
	}
	await expect(page.locator('body')).not.toContainText(/secured by/i)
	expect(await page.content()).not.toMatch(/foyer/i)

	// Following the system: dark tokens and the dark logo under prefers-color-scheme: dark.
	const light = await bodyBackground(page)
	expect(light).toBe('rgb(255, 255, 255)')
	await page.emulateMedia({ colorScheme: 'dark' })
	await page.reload()
	expect(await bodyBackground(page)).toBe('rgb(17, 24, 39)')
	expect(await logo.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(new RegExp(`/assets/${sha('b')}\\.svg$`))
	expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark')

	await page.goto(host(slug, '/signup'))
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Join Initrode')
})

test('"Secured by Foyer" shows only when the org turns it on; without a logo the display name is text', async ({ page }) => {
	const { slug } = await orgWithBranding({ displayName: 'Vehement', colors: { light: { brand: '#b91c1c' }, dark: { brand: '#b91c1c' } }, securedBy: true })
	await page.goto(host(slug, '/login'))
	await expect(page.getByText('Secured by Foyer')).toBeVisible()
	await expect(page.getByText('Vehement', { exact: true })).toBeVisible()
	await expect(page.locator('link[rel=icon]')).toHaveAttribute('href', '/favicon.svg')
	expect(await page.evaluate(async () => (await fetch('/favicon.svg')).status)).toBe(200)
})

test('appearance dark shows the dark palette whatever the system prefers', async ({ page }) => {
	const { slug } = await orgWithBranding({ colors: { light: { brand: '#7c3aed' }, dark: { brand: '#a78bfa', background: '#000000' } }, appearance: 'dark', themeId: 'midnight' })
	await page.emulateMedia({ colorScheme: 'light' })
	await page.goto(host(slug, '/login'))
	expect(await bodyBackground(page)).toBe('rgb(0, 0, 0)')
	const button = page.getByRole('button', { name: 'Sign in', exact: true })
	expect(await button.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(167, 139, 250)')
})

/**
 * Every visible text on the page, against the first opaque background under it, reaches 4.5:1
 * (large bold text 3:1 would do, but nothing here relies on it). Text over a background image
 * (the full-bleed gradient) is reported: no text may sit there.
 */
async function unreadableTexts(page: Page): Promise<string[]> {
	const { checked, problems } = await page.evaluate(() => {
		const parse = (value: string) => {
			const [r = 0, g = 0, b = 0, a = 1] = (value.match(/[\d.]+/g) ?? []).map(Number)
			return { r, g, b, a }
		}
		const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
			const [R, G, B] = [r, g, b].map((v) => {
				const c = v / 255
				return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
			}) as [number, number, number]
			return 0.2126 * R + 0.7152 * G + 0.0722 * B
		}
		const problems: string[] = []
		let checked = 0
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const element = node.parentElement
			if (!element || !node.textContent?.trim() || !element.checkVisibility()) continue
			let under: Element | null = element
			let background: string | null = null
			while (under) {
				const style = getComputedStyle(under)
				if (style.backgroundImage !== 'none') break
				if (parse(style.backgroundColor).a === 1 && style.backgroundColor !== 'rgba(0, 0, 0, 0)') {
					background = style.backgroundColor
					break
				}
				under = under.parentElement
			}
			const text = node.textContent.trim().slice(0, 40)
			if (!background) {
				problems.push(`"${text}" sits on a background image`)
				continue
			}
			const [hi, lo] = [luminance(parse(getComputedStyle(element).color)), luminance(parse(background))].sort((x, y) => y - x) as [number, number]
			const ratio = (hi + 0.05) / (lo + 0.05)
			if (ratio < 4.5) problems.push(`"${text}" ${getComputedStyle(element).color} on ${background}: ${ratio.toFixed(2)}:1`)
			checked++
		}
		return { checked, problems }
	})
	// The page's heading, labels, buttons, links and footer at least: a walk that found nothing proves nothing.
	expect(checked).toBeGreaterThan(5)
	return problems
}

for (const themeId of ['default', 'midnight', 'harbor', 'poster']) {
	test(`theme ${themeId}: with poor picks every text still reads (4.5:1) in light and dark, on the sign-in page, its error and the 404`, async ({ page }) => {
		// Pale brand and accent on a mid-grey page: every one of them must be nudged.
		const { slug, name } = await orgWithBranding({
			themeId,
			appearance: 'system',
			colors: { light: { brand: '#fde68a', accent: '#a5f3fc', background: '#8a8a8a' }, dark: { brand: '#1e1b4b', accent: '#312e81', background: '#3a3a3a' } },
			texts: { footerText: 'Footer words' },
			links: { terms: 'https://example.com/terms' },
			securedBy: true,
		})
		for (const colorScheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme })
			await page.goto(host(slug, '/login'))
			await expect(page.getByText(name, { exact: true })).toBeVisible()
			await expect(page.getByRole('main')).toHaveCount(1)
			await expect(page.locator('h1')).toHaveCount(1)
			expect(await unreadableTexts(page), `${themeId} ${colorScheme} /login`).toEqual([])
			await page.getByLabel('Email', { exact: true }).fill(uniqueEmail())
			await page.getByLabel('Password', { exact: true }).fill('not the password at all')
			await page.getByRole('button', { name: 'Sign in', exact: true }).click()
			await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.')
			expect(await unreadableTexts(page), `${themeId} ${colorScheme} /login error`).toEqual([])
			await page.goto(host(slug, '/no-such-page'))
			await expect(page.getByRole('alert')).toContainText("We couldn't find that page.")
			expect(await unreadableTexts(page), `${themeId} ${colorScheme} 404`).toEqual([])
		}
	})
}

test('the split layout puts the name on a brand panel beside the form; full-bleed puts everything in the card', async ({ page }) => {
	const split = await orgWithBranding({ themeId: 'harbor', colors: { light: { brand: '#0f766e' }, dark: { brand: '#0f766e' } }, texts: { footerText: 'Split footer' } })
	await page.setViewportSize({ width: 1280, height: 800 })
	await page.goto(host(split.slug, '/login'))
	const name = page.getByText(split.name, { exact: true })
	const form = page.getByRole('button', { name: 'Sign in', exact: true })
	const [nameBox, formBox] = [await name.boundingBox(), await form.boundingBox()]
	expect(nameBox!.x + nameBox!.width).toBeLessThan(formBox!.x)
	expect(await name.evaluate((element) => getComputedStyle(element.parentElement!).backgroundColor)).toBe('rgb(15, 118, 110)')
	// On a phone the panel is a band above the form.
	await page.setViewportSize({ width: 390, height: 800 })
	expect((await name.boundingBox())!.y + (await name.boundingBox())!.height).toBeLessThan((await form.boundingBox())!.y)

	const bleed = await orgWithBranding({ themeId: 'poster', colors: { light: { brand: '#0f766e' }, dark: { brand: '#0f766e' } }, texts: { footerText: 'Bleed footer' } })
	await page.setViewportSize({ width: 1280, height: 800 })
	await page.goto(host(bleed.slug, '/login'))
	const card = page.locator('section').filter({ has: page.getByRole('heading', { level: 1 }) })
	await expect(card.getByText(bleed.name, { exact: true })).toBeVisible()
	await expect(card.getByText('Bleed footer')).toBeVisible()
})
