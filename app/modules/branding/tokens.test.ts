import { parseToHsl, parseToRgb } from 'polished'
import { describe, expect, test } from 'vitest'
import { contrastReport, ratioText } from './contrast-report'
import { brandingDocumentSchema, FONT_IDS, RADIUS_IDS, type BrandingDocument, type BrandingInput } from './document'
import { FONTS } from './fonts'
import { brandingCssFor } from './theme-css.server'
import { getTheme, listThemes } from './theme.server'
import {
	BRAND_TOKEN_NAMES,
	DEFAULT_BRAND_COLOR,
	HOVER_CONTRAST,
	RADIUS_LENGTHS,
	brandingCss,
	documentTokens,
	parseBrandColor,
	type Mode,
	type Theme,
} from './tokens'

// An independent WCAG 2 contrast, so the tests do not grade the code with its own ruler.
function ratio(a: string, b: string) {
	const lum = (hex: string) => {
		const { red, green, blue } = parseToRgb(hex)
		const [r, g, b] = [red, green, blue].map((v) => {
			const c = v / 255
			return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
		}) as [number, number, number]
		return 0.2126 * r + 0.7152 * g + 0.0722 * b
	}
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number]
	return (hi + 0.05) / (lo + 0.05)
}

// mulberry32: the same "random" colours on every run, so a failure can be replayed.
function seeded(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

const hex = (n: number) => `#${n.toString(16).padStart(6, '0')}`
const random = seeded(20240601)
const randomColor = () => hex(Math.floor(random() * 0x1000000))
const edgeCases = [
	'#000', '#fff', '#777', '#808080', '#767676', '#757575', '#7f7f7f', '#818181',
	'#f00', '#0f0', '#00f', '#ff0', '#ffff00', '#0ff', '#f0f',
	'#7f7f80', '#808081', '#787a78', '#010101', '#fefefe', '#FFFFFF', '#4f46e5', '#f97316',
]
const greys = Array.from({ length: 64 }, (_, v) => hex(v * 4 * 0x010101))
const brandColors = [...new Set([...edgeCases, ...greys, ...Array.from({ length: 150 }, randomColor)])]
const themes = listThemes()
const modes: Mode[] = ['light', 'dark']

const documentOf = (input: Partial<BrandingInput> & { colors: BrandingInput['colors'] }): BrandingDocument => brandingDocumentSchema.parse(input)
const onePalette = (palette: { brand: string; background?: string | null; accent?: string | null }) => documentOf({ colors: { light: palette, dark: palette } })

/** Hundreds of picks per theme: brand alone, with a background, with an accent, with both; greys and extremes included. */
function generatedPicks() {
	const picks: { brand: string; background: string | null; accent: string | null }[] = []
	for (const brand of brandColors) picks.push({ brand, background: null, accent: null })
	for (let i = 0; i < 300; i++) {
		const background = i < edgeCases.length ? edgeCases[i]! : i % 5 === 0 ? greys[i % greys.length]! : randomColor()
		picks.push({ brand: randomColor(), background, accent: i % 2 ? randomColor() : null })
	}
	return picks
}
const picks = generatedPicks()

function expectEveryPairReadable(t: Record<string, string>) {
	const AA = 4.5
	for (const page of [t['--brand-background']!, t['--brand-surface']!]) {
		for (const name of ['--brand-foreground', '--brand-muted', '--brand-link', '--brand-danger']) expect(ratio(t[name]!, page), `${name} on ${page}`).toBeGreaterThanOrEqual(AA)
		expect(ratio(t['--brand-ring']!, page), `ring on ${page}`).toBeGreaterThanOrEqual(3)
		expect(ratio(t['--brand-input-border']!, page), `input border on ${page}`).toBeGreaterThanOrEqual(3)
	}
	expect(ratio(t['--brand-primary-foreground']!, t['--brand-primary']!)).toBeGreaterThanOrEqual(AA)
	expect(ratio(t['--brand-primary-foreground']!, t['--brand-primary-hover']!)).toBeGreaterThanOrEqual(AA)
	expect(ratio(t['--brand-danger-foreground']!, t['--brand-danger-surface']!)).toBeGreaterThanOrEqual(AA)
	expect(ratio(t['--brand-primary']!, t['--brand-primary-hover']!)).toBeGreaterThanOrEqual(HOVER_CONTRAST)
}

describe.each(themes.flatMap((theme) => modes.map((mode) => [theme.id, mode, theme] as const)))('documentTokens on %s (%s)', (_, mode, theme) => {
	const base = theme.colors[mode]

	test(`${picks.length} generated picks: every pair meets WCAG AA, and the report fails exactly the picks that do not`, () => {
		for (const pick of picks) {
			const document = onePalette(pick)
			const t = documentTokens(document, theme, mode)
			expectEveryPairReadable(t)
			expect(t['--brand-background']).toBe(parseBrandColor(pick.background ?? '') ?? base.background)

			const report = contrastReport(document, theme)
			for (const check of report[mode]) {
				const where = `${JSON.stringify(pick)} ${check.id}`
				// The grade is the pick's own: "fails" exactly when the picked pair is short of the ratio.
				expect(check.passes, where).toBe(ratio(check.picked.color, check.picked.against) >= check.required)
				// What pages use is always readable, and it is what the tokens say.
				expect(ratio(check.used.color, check.used.against), where).toBeGreaterThanOrEqual(check.required)
				if (check.passes) expect(check.explanation, where).toMatch(/used as they are\.$/)
				else {
					expect(check.explanation, where).toContain(`(${check.picked.color}) on`)
					expect(check.explanation, where).toContain(`${check.id === 'button-text' ? check.used.against : check.used.color} instead`)
				}
			}
			const byId = Object.fromEntries(report[mode].map((check) => [check.id, check]))
			const accent = parseBrandColor(pick.accent ?? '') ?? parseBrandColor(pick.brand)!
			expect(byId['link-on-background']!.picked).toMatchObject({ color: accent, against: t['--brand-background'] })
			expect(byId['link-on-background']!.used).toMatchObject({ color: t['--brand-link'], against: t['--brand-background'] })
			expect(byId['focus-on-surface']!.used).toMatchObject({ color: t['--brand-ring'], against: t['--brand-surface'] })
			expect(byId['text-on-background']!.picked).toMatchObject({ color: base.foreground, against: t['--brand-background'] })
			expect(byId['error-on-panel']!.used).toMatchObject({ color: t['--brand-danger-foreground'], against: t['--brand-danger-surface'] })
			const brand = parseBrandColor(pick.brand)!
			expect(byId['button-text']!.picked.against).toBe(brand)
			expect(byId['button-text']!.passes).toBe(Math.max(ratio(brand, '#ffffff'), ratio(brand, '#111111')) >= 4.5)
			expect(byId['button-text']!.used).toMatchObject({ color: t['--brand-primary-foreground'], against: t['--brand-primary'] })
		}
	})

	test.each(brandColors.slice(0, 80))('brand %s keeps its hue and moves only as far as needed', (brand) => {
		const original = parseBrandColor(brand) as string
		const t = documentTokens(onePalette({ brand }), theme, mode)
		const primary = t['--brand-primary']
		expect(['#ffffff', '#111111']).toContain(t['--brand-primary-foreground'])
		if (primary === original) return
		// Only colours no text colour could sit on get moved, and only to just past AA.
		expect(Math.max(ratio(original, '#ffffff'), ratio(original, '#111111'))).toBeLessThan(4.5)
		expect(ratio(primary, t['--brand-primary-foreground'])).toBeLessThan(4.7)
		const before = parseToHsl(original)
		const after = parseToHsl(primary)
		if (before.saturation > 0.2) {
			const drift = Math.abs(before.hue - after.hue)
			expect(Math.min(drift, 360 - drift)).toBeLessThan(6)
		} else {
			expect(after.saturation).toBeLessThan(0.3)
		}
	})

	test("without a background of the org's own, the theme's base colours are used as they are", () => {
		const t = documentTokens(onePalette({ brand: '#123456' }), theme, mode)
		expect(t['--brand-background']).toBe(base.background)
		expect(t['--brand-surface']).toBe(base.surface)
		expect(t['--brand-border']).toBe(base.border)
		expect(t['--brand-foreground']).toBe(base.foreground)
		expect(t['--brand-muted']).toBe(base.mutedForeground)
		expect(t['--brand-danger']).toBe(base.danger)
	})

	test('an own background gets a surface and border as far from it as the theme has them', () => {
		const t = documentTokens(onePalette({ brand: '#123456', background: mode === 'light' ? '#fdf6e3' : '#002b36' }), theme, mode)
		expect(t['--brand-background']).toBe(mode === 'light' ? '#fdf6e3' : '#002b36')
		const wanted = ratio(base.surface, base.background)
		expect(ratio(t['--brand-surface'], t['--brand-background'])).toBeGreaterThanOrEqual(wanted - 0.01)
		expect(ratio(t['--brand-surface'], t['--brand-background'])).toBeLessThan(wanted + 0.1)
	})
})

describe('documentTokens', () => {
	const theme = getTheme('default')

	test('returns exactly the documented token names, colours as #rrggbb', () => {
		const t = documentTokens(onePalette({ brand: '#336699' }), theme, 'light')
		expect(Object.keys(t)).toEqual([...BRAND_TOKEN_NAMES])
		for (const [name, value] of Object.entries(t)) {
			if (['--brand-radius', '--brand-radius-card', '--brand-font'].includes(name)) continue
			expect(value).toMatch(/^#[0-9a-f]{6}$/)
		}
	})

	test('each mode reads its own palette: brand → buttons, accent → links and the ring', () => {
		const document = documentOf({ colors: { light: { brand: '#4f46e5', accent: '#0f766e' }, dark: { brand: '#a5b4fc', background: '#000000' } } })
		const light = documentTokens(document, theme, 'light')
		const dark = documentTokens(document, theme, 'dark')
		expect(light['--brand-primary']).toBe('#4f46e5')
		expect(light['--brand-link']).toBe('#0f766e')
		expect(light['--brand-ring']).toBe('#0f766e')
		expect(dark['--brand-primary']).toBe('#a5b4fc')
		expect(dark['--brand-link']).toBe('#a5b4fc')
		expect(dark['--brand-background']).toBe('#000000')
		expect(dark['--brand-foreground']).toBe(theme.colors.dark.foreground)
	})

	test.each(RADIUS_IDS)('radius %s → its lengths', (radius) => {
		const t = documentTokens(documentOf({ colors: { light: { brand: '#123456' }, dark: { brand: '#123456' } }, radius }), theme, 'light')
		expect(t['--brand-radius']).toBe(RADIUS_LENGTHS[radius].control)
		expect(t['--brand-radius-card']).toBe(RADIUS_LENGTHS[radius].card)
	})

	test.each(FONT_IDS)('font %s → its stack', (font) => {
		const t = documentTokens(documentOf({ colors: { light: { brand: '#123456' }, dark: { brand: '#123456' } }, font }), theme, 'light')
		expect(t['--brand-font']).toBe(FONTS[font].stack)
	})

	test('a malformed colour that slipped past the schema falls back instead of reaching CSS', () => {
		const document = { ...onePalette({ brand: '#123456' }), colors: { light: { brand: '#abc;}body{display:none', background: 'url(x)', accent: 'red' }, dark: { brand: '', background: null, accent: null } } }
		const t = documentTokens(document, theme, 'light')
		expect(t['--brand-primary']).toBe(documentTokens(onePalette({ brand: DEFAULT_BRAND_COLOR }), theme, 'light')['--brand-primary'])
		expect(t['--brand-background']).toBe(theme.colors.light.background)
		expect(t['--brand-link']).toBe(DEFAULT_BRAND_COLOR)
	})

	test('still meets AA when handed a low-contrast theme that skipped the schema', () => {
		const poor: Theme = { ...theme, colors: { ...theme.colors, light: { ...theme.colors.light, foreground: '#cccccc', mutedForeground: '#eeeeee', danger: '#ffaaaa' } } }
		expectEveryPairReadable(documentTokens(onePalette({ brand: '#777777' }), poor, 'light'))
	})

})

describe('contrastReport', () => {
	const theme = getTheme('default')

	test('grades both modes, and names the modes the pages show', () => {
		const report = contrastReport(documentOf({ colors: { light: { brand: '#4f46e5' }, dark: { brand: '#4f46e5' } }, appearance: 'system' }), theme)
		expect(report.shown).toEqual(['light', 'dark'])
		expect(report.light.map((check) => check.id)).toEqual(report.dark.map((check) => check.id))
		expect(report.light).toHaveLength(12)
		expect(report.light.every((check) => check.mode === 'light')).toBe(true)
		expect(contrastReport(documentOf({ colors: { light: { brand: '#4f46e5' }, dark: { brand: '#4f46e5' } }, appearance: 'dark' }), theme).shown).toEqual(['dark'])
	})

	test('a pale link colour fails with its ratio, the colour used instead and why, in one sentence', () => {
		const report = contrastReport(onePalette({ brand: '#4f46e5', accent: '#7dd3fc' }), theme)
		const link = report.light.find((check) => check.id === 'link-on-background')!
		expect(link.passes).toBe(false)
		expect(link.required).toBe(4.5)
		expect(link.picked).toMatchObject({ color: '#7dd3fc', against: '#ffffff' })
		expect(link.used.color).not.toBe('#7dd3fc')
		expect(link.explanation).toBe(
			`Links (#7dd3fc) on the page background (#ffffff) has a contrast of only ${ratioText(link.picked.ratio)}:1, below the 4.5:1 the accessibility standard (WCAG AA) asks for so that people with low vision can read it, so links are shown in ${link.used.color} instead (${ratioText(link.used.ratio)}:1): the same hue, a little darker.`,
		)
		expect(report.allPass).toBe(false)
		const focus = report.light.find((check) => check.id === 'focus-on-background')!
		expect(focus.required).toBe(3)
		expect(focus.explanation).toContain('keyboard users')
	})

	test('a mid-tone button colour fails and says the button is filled with a darker or lighter colour', () => {
		const button = contrastReport(onePalette({ brand: '#d9480f' }), theme).light.find((check) => check.id === 'button-text')!
		expect(button.passes).toBe(false)
		expect(button.picked.against).toBe('#d9480f')
		expect(button.explanation).toMatch(/so buttons are filled with #[0-9a-f]{6} instead/)
	})

	test('picks that work pass as they are', () => {
		const report = contrastReport(onePalette({ brand: '#4f46e5' }), theme)
		expect(report.allPass).toBe(true)
		for (const check of report.light) expect(check.explanation).toMatch(/so your colours are used as they are\.$/)
	})
})

describe('ratioText', () => {
	test.each([
		[4.4999, '4.49'],
		[4.5, '4.5'],
		[3, '3'],
		[2.996, '2.99'],
		[21, '21'],
		[12.66, '12.6'],
	])('%f → %s (never rounded up)', (value, text) => {
		expect(ratioText(value)).toBe(text)
	})
})

describe('brandingCss', () => {
	const theme = getTheme('default')
	const palette = { brand: '#0ea5e9' }
	const tokensCss = (mode: Mode, document: BrandingDocument) =>
		Object.entries(documentTokens(document, theme, mode))
			.map(([name, value]) => `${name}:${value};`)
			.join('')

	test('light: one :root rule with every light token and the colour scheme, and no font to load', () => {
		const document = documentOf({ colors: { light: palette, dark: palette }, appearance: 'light' })
		expect(brandingCss(document, theme)).toBe(`:root{${tokensCss('light', document)}color-scheme:light;}`)
	})

	test('dark: the dark tokens only', () => {
		const document = documentOf({ colors: { light: palette, dark: palette }, appearance: 'dark' })
		expect(brandingCss(document, theme)).toBe(`:root{${tokensCss('dark', document)}color-scheme:dark;}`)
	})

	test('system: the light tokens, then the dark ones under prefers-color-scheme', () => {
		const document = documentOf({ colors: { light: palette, dark: palette }, appearance: 'system' })
		expect(brandingCss(document, theme)).toBe(`:root{${tokensCss('light', document)}color-scheme:light;}@media (prefers-color-scheme: dark){:root{${tokensCss('dark', document)}color-scheme:dark;}}`)
	})

	test.each(FONT_IDS.filter((id) => id !== 'system'))('%s: the @font-face of that font only, from /fonts', (font) => {
		const css = brandingCss(documentOf({ colors: { light: palette, dark: palette }, font }), theme)
		const faces = [...css.matchAll(/@font-face\{[^}]*\}/g)].map((match) => match[0])
		expect(faces).toHaveLength(FONTS[font].faces.length)
		for (const [i, face] of FONTS[font].faces.entries()) {
			expect(faces[i]).toContain(`font-family:'${FONTS[font].family}'`)
			expect(faces[i]).toContain(`src:url(/fonts/${face.file}) format('woff2')`)
			expect(faces[i]).toContain('font-display:swap')
		}
	})

	test('is cached by content: equal looks share the answer, a changed look gets its own', () => {
		const document = documentOf({ colors: { light: palette, dark: palette }, appearance: 'system', font: 'inter' })
		expect(brandingCssFor(document)).toBe(brandingCss(document, theme))
		expect(brandingCssFor(structuredClone(document))).toBe(brandingCssFor(document))
		expect(brandingCssFor({ ...document, radius: 'none' })).toContain('--brand-radius:0;')
		expect(brandingCssFor({ ...document, themeId: 'no-such-theme' })).toBe(brandingCssFor(document))
	})
})

describe('parseBrandColor', () => {
	test.each([
		['#abc', '#aabbcc'],
		['#ABC', '#aabbcc'],
		['#a1B2c3', '#a1b2c3'],
		['#FFFFFF', '#ffffff'],
		['#000', '#000000'],
		['  #123456\n', '#123456'],
	])('%j → %s', (input, expected) => {
		expect(parseBrandColor(input)).toBe(expected)
	})

	test.each([
		'',
		'#',
		'abc',
		'aabbcc',
		'##abc',
		'#ggg',
		'#12',
		'#1234',
		'#12345',
		'#1234567',
		'#abcd',
		'red',
		'rgb(0, 0, 0)',
		'#abc\0',
		'\0#abc',
		'#ab\0cdef',
		'#ａｂｃ',
		'#abc;}',
		'#abc #def',
		'0x123456',
		`#${'a'.repeat(100_000)}`,
		`${' '.repeat(100_000)}#abc`,
	])('refuses %j', (input) => {
		expect(parseBrandColor(input)).toBeNull()
	})

	test('refuses non-strings that slip past the types', () => {
		for (const input of [null, undefined, 0xabcdef, {}, ['#abc']]) {
			expect(parseBrandColor(input as unknown as string)).toBeNull()
		}
	})
})
