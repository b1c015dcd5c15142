import { parseToHsl, parseToRgb } from 'polished'
import { describe, expect, test } from 'vitest'
import { listThemes } from './theme.server'
import {
	BRAND_TOKEN_NAMES,
	DEFAULT_BRAND_COLOR,
	HOVER_CONTRAST,
	brandTokens,
	parseBrandColor,
	themeCss,
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
const edgeCases = [
	'#000', '#fff', '#777', '#808080', '#767676', '#757575', '#7f7f7f', '#818181',
	'#f00', '#0f0', '#00f', '#ff0', '#ffff00', '#0ff', '#f0f',
	'#7f7f80', '#808081', '#787a78', '#010101', '#fefefe', '#FFFFFF', '#4f46e5', '#f97316',
]
const greys = Array.from({ length: 256 }, (_, v) => hex(v * 0x010101))
const randoms = Array.from({ length: 400 }, () => hex(Math.floor(random() * 0x1000000)))
const colors = [...new Set([...edgeCases, ...greys, ...randoms])]
const themes = listThemes()

describe.each(themes.map((theme) => [theme.id, theme] as const))('brandTokens on theme %s', (_, theme) => {
	const { background, surface } = theme.colors

	test.each(colors)('%s meets every contrast guarantee', (brand) => {
		const t = brandTokens(brand, theme)
		expect(ratio(t['--brand-primary-foreground'], t['--brand-primary'])).toBeGreaterThanOrEqual(4.5)
		expect(ratio(t['--brand-primary-foreground'], t['--brand-primary-hover'])).toBeGreaterThanOrEqual(4.5)
		expect(ratio(t['--brand-link'], background)).toBeGreaterThanOrEqual(4.5)
		expect(ratio(t['--brand-link'], surface)).toBeGreaterThanOrEqual(4.5)
		for (const text of [t['--brand-foreground'], t['--brand-muted']]) {
			expect(ratio(text, background)).toBeGreaterThanOrEqual(4.5)
			expect(ratio(text, surface)).toBeGreaterThanOrEqual(4.5)
		}
		expect(ratio(t['--brand-danger'], background)).toBeGreaterThanOrEqual(4.5)
		expect(ratio(t['--brand-danger-foreground'], t['--brand-danger-surface'])).toBeGreaterThanOrEqual(4.5)
		expect(ratio(t['--brand-ring'], background)).toBeGreaterThanOrEqual(3)
		expect(ratio(t['--brand-primary'], t['--brand-primary-hover'])).toBeGreaterThanOrEqual(HOVER_CONTRAST)
	})

	test.each(colors)('%s keeps its hue and moves only as far as needed', (brand) => {
		const original = parseBrandColor(brand) as string
		const t = brandTokens(brand, theme)
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

	test('a colour that already works is used as is', () => {
		const t = brandTokens('#4F46E5', theme)
		expect(t['--brand-primary']).toBe('#4f46e5')
		expect(t['--brand-primary-foreground']).toBe('#ffffff')
		expect(brandTokens('#ff0', theme)['--brand-primary']).toBe('#ffff00')
	})

	test('base colours and shape come from the theme', () => {
		const t = brandTokens('#123456', theme)
		expect(t['--brand-background']).toBe(background)
		expect(t['--brand-surface']).toBe(surface)
		expect(t['--brand-border']).toBe(theme.colors.border)
		expect(t['--brand-radius']).toBe(theme.radius)
		expect(t['--brand-font']).toBe(theme.fontFamily)
	})
})

describe('brandTokens', () => {
	const theme = themes.find((t) => t.id === 'default') as Theme

	test('returns exactly the documented token names, colours as #rrggbb', () => {
		const t = brandTokens('#336699', theme)
		expect(Object.keys(t)).toEqual([...BRAND_TOKEN_NAMES])
		for (const [name, value] of Object.entries(t)) {
			if (name === '--brand-radius' || name === '--brand-font') continue
			expect(value).toMatch(/^#[0-9a-f]{6}$/)
		}
	})

	test.each(['', 'red', '#ggg', 'url(x)', '#abc;}body{display:none'])('falls back to the default brand colour for %j', (bad) => {
		expect(brandTokens(bad, theme)).toEqual(brandTokens(DEFAULT_BRAND_COLOR, theme))
	})

	test('still meets AA when handed a low-contrast theme that skipped the schema', () => {
		const poor: Theme = {
			...theme,
			colors: { ...theme.colors, foreground: '#cccccc', mutedForeground: '#eeeeee', danger: '#ffaaaa' },
		}
		const t = brandTokens('#777777', poor)
		for (const key of ['--brand-foreground', '--brand-muted', '--brand-danger'] as const) {
			expect(ratio(t[key], poor.colors.background)).toBeGreaterThanOrEqual(4.5)
			expect(ratio(t[key], poor.colors.surface)).toBeGreaterThanOrEqual(4.5)
		}
	})
})

describe('themeCss', () => {
	test.each(themes.map((theme) => [theme.id, theme] as const))('%s: one :root rule with every token and the colour scheme', (_, theme) => {
		const css = themeCss('#0ea5e9', theme)
		const tokens = brandTokens('#0ea5e9', theme)
		expect(css.startsWith(':root{')).toBe(true)
		expect(css.endsWith('}')).toBe(true)
		expect(css.slice(6, -1)).not.toMatch(/[{}]/)
		for (const [name, value] of Object.entries(tokens)) expect(css).toContain(`${name}:${value};`)
		expect(css).toContain(`color-scheme:${theme.mode};`)
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
