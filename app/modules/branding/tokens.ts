import { mix } from 'polished'
import { contrast, ensureContrast, parseBrandColor, shiftUntil, toHex, type Direction } from './color'
import { TEXT_CONTRAST, type Theme } from './theme-schema'

export { parseBrandColor } from './color'
export type { Theme } from './theme-schema'

/*
 * An org's brand colour plus a base theme → the CSS custom properties the UI reads through
 * Tailwind (see app/styles/tailwind.css). Runtime names carry a `--brand-` prefix because
 * Tailwind's own `--color-*` theme variables map onto them; same name on both sides would be
 * a var() cycle.
 *
 * Whatever colour an admin picks, the derived colours meet WCAG AA; when the brand colour
 * itself cannot, only its lightness moves, and only as far as needed, so the hue survives.
 */

/** Used when the stored colour is missing or malformed, so a page never fails to render. */
export const DEFAULT_BRAND_COLOR = '#4f46e5'

/** Non-text contrast (WCAG 1.4.11) for the focus ring. */
export const RING_CONTRAST = 3

/**
 * How far primary-hover sits from primary, as a contrast ratio between the two. About what
 * one Tailwind shade step gives (indigo-600 → indigo-700 is ≈ 1.22:1).
 */
export const HOVER_CONTRAST = 1.2

const WHITE = '#ffffff'
const NEAR_BLACK = '#111111'

/** Every key brandTokens returns, in output order. */
export const BRAND_TOKEN_NAMES = [
	'--brand-background',
	'--brand-surface',
	'--brand-foreground',
	'--brand-muted',
	'--brand-border',
	'--brand-primary',
	'--brand-primary-hover',
	'--brand-primary-foreground',
	'--brand-link',
	'--brand-ring',
	'--brand-danger',
	'--brand-danger-surface',
	'--brand-danger-foreground',
	'--brand-radius',
	'--brand-font',
] as const

export type BrandTokenName = (typeof BRAND_TOKEN_NAMES)[number]

export function brandTokens(brandColor: string, theme: Theme): Record<BrandTokenName, string> {
	const brand = parseBrandColor(brandColor) ?? DEFAULT_BRAND_COLOR
	const { background, surface, border } = theme.colors
	const pages = [background, surface]

	const { primary, text } = primaryWithText(brand)
	const danger = ensureContrast(theme.colors.danger, pages, TEXT_CONTRAST)
	// A tint of the danger colour, stronger on dark pages where a faint tint disappears.
	const dangerSurface = toHex(mix(theme.mode === 'dark' ? 0.2 : 0.1, danger, background))

	return {
		'--brand-background': background,
		'--brand-surface': surface,
		// No-ops for themes that passed the schema; kept so the guarantee holds for any Theme.
		'--brand-foreground': ensureContrast(theme.colors.foreground, pages, TEXT_CONTRAST),
		'--brand-muted': ensureContrast(theme.colors.mutedForeground, pages, TEXT_CONTRAST),
		'--brand-border': border,
		'--brand-primary': primary,
		'--brand-primary-hover': hoverOf(primary, text),
		'--brand-primary-foreground': text,
		'--brand-link': ensureContrast(brand, pages, TEXT_CONTRAST),
		'--brand-ring': ensureContrast(brand, pages, RING_CONTRAST),
		'--brand-danger': danger,
		'--brand-danger-surface': dangerSurface,
		'--brand-danger-foreground': ensureContrast(danger, [dangerSurface], TEXT_CONTRAST),
		'--brand-radius': theme.radius,
		'--brand-font': theme.fontFamily,
	}
}

/** `:root{...}` with every token plus `color-scheme`, ready for a `<style>` or theme.css. */
export function themeCss(brandColor: string, theme: Theme): string {
	const declarations = Object.entries(brandTokens(brandColor, theme)).map(([name, value]) => `${name}:${value};`)
	return `:root{${declarations.join('')}color-scheme:${theme.mode};}`
}

/**
 * The button colour and its text. White or near-black text, whichever contrasts more; when
 * neither reaches AA (mid-luminance colours), the primary is darkened under white text or
 * lightened under dark text, whichever needs the smaller shift.
 */
function primaryWithText(brand: string): { primary: string; text: string } {
	const text = contrast(brand, WHITE) >= contrast(brand, NEAR_BLACK) ? WHITE : NEAR_BLACK
	if (contrast(brand, text) >= TEXT_CONTRAST) return { primary: brand, text }
	const options = [
		{ text: WHITE, shifted: shiftUntil(brand, 'darken', (c) => contrast(c, WHITE) >= TEXT_CONTRAST) },
		{ text: NEAR_BLACK, shifted: shiftUntil(brand, 'lighten', (c) => contrast(c, NEAR_BLACK) >= TEXT_CONTRAST) },
	]
		.flatMap(({ text, shifted }) => (shifted ? [{ text, primary: shifted.color, amount: shifted.amount }] : []))
		.sort((a, b) => a.amount - b.amount)
	// Black reaches 21:1 on white, so the darken option always exists.
	const best = options[0] ?? { primary: '#000000', text: WHITE }
	return { primary: best.primary, text: best.text }
}

/**
 * Moves away from the text colour, which only raises the text's contrast. At the ends of the
 * scale (a white button with dark text cannot get lighter) it moves toward the text instead,
 * where the contrast is so high that AA still holds.
 */
function hoverOf(primary: string, text: string): string {
	const away: Direction = text === WHITE ? 'darken' : 'lighten'
	const toward: Direction = away === 'darken' ? 'lighten' : 'darken'
	const distinct = (c: string) => contrast(c, primary) >= HOVER_CONTRAST
	const readable = (c: string) => contrast(c, text) >= TEXT_CONTRAST
	const shifted =
		shiftUntil(primary, away, (c) => distinct(c) && readable(c)) ??
		shiftUntil(primary, toward, (c) => distinct(c) && readable(c))
	return shifted?.color ?? primary
}
