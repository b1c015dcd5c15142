import { mix } from 'polished'
import { contrast, ensureContrast, luminance, parseBrandColor, shiftUntil, toHex, type Direction } from './color'
import { type Appearance, type BrandingDocument, type RadiusId } from './document'
import { fontFaceCss, fontOf } from './fonts'
import { isLightColor, TEXT_CONTRAST, type BaseColors, type Mode, type Theme } from './theme-schema'

export { parseBrandColor } from './color'
export type { Mode, Theme } from './theme-schema'

/*
 * An org's branding document plus its base theme → the CSS custom properties the UI reads
 * through Tailwind (see app/styles/tailwind.css), one set per mode. Runtime names carry a
 * `--brand-` prefix because Tailwind's own `--color-*` theme variables map onto them; the same
 * name on both sides would be a var() cycle. These names are public: an org's custom CSS may
 * use them, so they do not change between releases.
 *
 * Whatever colours an admin picks, every pair a page shows meets WCAG 2.2 AA; where a pick
 * cannot, only its lightness moves, and only as far as needed, so the hue survives. The
 * contrast report (contrast-report.ts) tells the admin which picks moved and why.
 */

/** Used when a stored colour is missing or malformed, so a page never fails to render. */
export const DEFAULT_BRAND_COLOR = '#4f46e5'

/** Non-text contrast (WCAG 1.4.11): the focus ring and input outlines. */
export const RING_CONTRAST = 3

/**
 * How far primary-hover sits from primary, as a contrast ratio between the two. About what
 * one Tailwind shade step gives (indigo-600 → indigo-700 is ≈ 1.22:1).
 */
export const HOVER_CONTRAST = 1.2

export const WHITE = '#ffffff'
export const NEAR_BLACK = '#111111'

/** Controls (inputs, buttons) and cards; a pill-shaped card would clip its content, so cards stop at 1.5rem. */
export const RADIUS_LENGTHS: Record<RadiusId, { control: string; card: string }> = {
	none: { control: '0', card: '0' },
	small: { control: '0.25rem', card: '0.375rem' },
	medium: { control: '0.5rem', card: '0.75rem' },
	large: { control: '0.75rem', card: '1rem' },
	full: { control: '9999px', card: '1.5rem' },
}

/** Every key documentTokens returns, in output order. Public: custom CSS may read them. */
export const BRAND_TOKEN_NAMES = [
	'--brand-background',
	'--brand-surface',
	'--brand-foreground',
	'--brand-muted',
	'--brand-border',
	'--brand-input-border',
	'--brand-primary',
	'--brand-primary-hover',
	'--brand-primary-foreground',
	'--brand-link',
	'--brand-ring',
	'--brand-danger',
	'--brand-danger-surface',
	'--brand-danger-foreground',
	'--brand-radius',
	'--brand-radius-card',
	'--brand-font',
] as const

export type BrandTokenName = (typeof BRAND_TOKEN_NAMES)[number]
export type BrandTokens = Record<BrandTokenName, string>

/**
 * What the admin's picks amount to in one mode, before any nudging: the colours the contrast
 * report grades. Background, surface and borders are never nudged (they are the canvas).
 */
export type Picks = {
	brand: string
	/** Links and the focus ring: the accent, else the brand colour. */
	accent: string
	background: string
	surface: string
	border: string
	foreground: string
	muted: string
	danger: string
	/** The error panel's tint, made from the un-nudged danger colour. */
	dangerSurface: string
}

export function picksOf(document: Pick<BrandingDocument, 'colors'>, theme: Theme, mode: Mode): Picks {
	const palette = document.colors[mode]
	const base = theme.colors[mode]
	const brand = parseBrandColor(palette.brand) ?? DEFAULT_BRAND_COLOR
	const accent = (palette.accent && parseBrandColor(palette.accent)) || brand
	const custom = palette.background ? parseBrandColor(palette.background) : null
	const { background, surface, border } = custom ? { background: custom, ...canvasFor(custom, base) } : base
	return { brand, accent, background, surface, border, foreground: base.foreground, muted: base.mutedForeground, danger: base.danger, dangerSurface: tint(base.danger, background) }
}

/** The `--brand-*` tokens of one mode: every text pair ≥ 4.5:1, the ring and input outlines ≥ 3:1. */
export function documentTokens(document: Pick<BrandingDocument, 'colors' | 'radius' | 'font'>, theme: Theme, mode: Mode): BrandTokens {
	const picks = picksOf(document, theme, mode)
	const { background, surface, border } = picks
	const pages = [background, surface]
	const { primary, text } = primaryWithText(picks.brand)
	const danger = ensureContrast(picks.danger, pages, TEXT_CONTRAST)
	const dangerSurface = tint(danger, background)
	const radius = RADIUS_LENGTHS[document.radius] ?? RADIUS_LENGTHS.medium
	return {
		'--brand-background': background,
		'--brand-surface': surface,
		'--brand-foreground': ensureContrast(picks.foreground, pages, TEXT_CONTRAST),
		'--brand-muted': ensureContrast(picks.muted, pages, TEXT_CONTRAST),
		'--brand-border': border,
		'--brand-input-border': ensureContrast(border, pages, RING_CONTRAST),
		'--brand-primary': primary,
		'--brand-primary-hover': hoverOf(primary, text),
		'--brand-primary-foreground': text,
		'--brand-link': ensureContrast(picks.accent, pages, TEXT_CONTRAST),
		'--brand-ring': ensureContrast(picks.accent, pages, RING_CONTRAST),
		'--brand-danger': danger,
		'--brand-danger-surface': dangerSurface,
		'--brand-danger-foreground': ensureContrast(danger, [dangerSurface], TEXT_CONTRAST),
		'--brand-radius': radius.control,
		'--brand-radius-card': radius.card,
		'--brand-font': fontOf(document.font).stack,
	}
}

/** The mode a page that cannot follow the visitor's system (an email, say) shows. */
export function primaryMode(appearance: Appearance): Mode {
	return appearance === 'dark' ? 'dark' : 'light'
}

/** The modes a document's pages show, the one without a media query first. */
export function modesOf(appearance: Appearance): Mode[] {
	return appearance === 'system' ? ['light', 'dark'] : [primaryMode(appearance)]
}

/**
 * The whole look of a document as CSS: `:root{tokens; color-scheme}` for its appearance
 * (following the system adds the dark tokens under `prefers-color-scheme: dark`), plus the
 * @font-face rules of its font. Values are built here from parsed colours and fixed tables,
 * never copied from the document, so nothing an admin types lands in this CSS.
 */
export function brandingCss(document: Pick<BrandingDocument, 'colors' | 'radius' | 'font' | 'appearance'>, theme: Theme): string {
	const rule = (mode: Mode) => {
		const tokens = documentTokens(document, theme, mode)
		const declarations = Object.entries(tokens).map(([name, value]) => `${name}:${value};`)
		return `:root{${declarations.join('')}color-scheme:${isLightColor(tokens['--brand-background']) ? 'light' : 'dark'};}`
	}
	const [first, second] = modesOf(document.appearance)
	const dark = second ? `@media (prefers-color-scheme: dark){${rule(second)}}` : ''
	return `${rule(first!)}${dark}${fontFaceCss(document.font)}`
}

/** A tint of the danger colour for the error panel, stronger on dark pages where a faint tint disappears. */
function tint(danger: string, background: string): string {
	return toHex(mix(isLightColor(background) ? 0.1 : 0.2, danger, background))
}

/**
 * Surface and border for an org's own background: as far from it as the theme's are from the
 * theme's background, in the same direction (lighter cards on a dark page, say), or the other
 * way when that is impossible (a white page cannot get lighter cards) or would leave no text
 * colour readable on both page and card (a mid-grey page).
 */
function canvasFor(background: string, base: BaseColors): { surface: string; border: string } {
	const like = (target: string, accept: (candidate: string) => boolean) => {
		const wanted = contrast(target, base.background)
		const toward: Direction = luminance(target) < luminance(base.background) ? 'darken' : 'lighten'
		const far = (candidate: string) => contrast(candidate, background) >= wanted && accept(candidate)
		const shifted = shiftUntil(background, toward, far) ?? shiftUntil(background, toward === 'darken' ? 'lighten' : 'darken', far)
		return shifted?.color ?? background
	}
	return { surface: like(base.surface, (surface) => someTextReads([background, surface])), border: like(base.border, () => true) }
}

/** Black or white text reaches AA on every one of `backgrounds`, so a nudged text colour exists. */
function someTextReads(backgrounds: string[]): boolean {
	return ['#000000', WHITE].some((text) => backgrounds.every((background) => contrast(text, background) >= TEXT_CONTRAST))
}

/**
 * The button colour and its text. White or near-black text, whichever contrasts more; when
 * neither reaches AA (mid-luminance colours), the primary is darkened under white text or
 * lightened under dark text, whichever needs the smaller shift.
 */
export function primaryWithText(brand: string): { primary: string; text: string } {
	const text = bestTextOn(brand)
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

/** White or near-black, whichever reads better on `color`. */
export function bestTextOn(color: string): string {
	return contrast(color, WHITE) >= contrast(color, NEAR_BLACK) ? WHITE : NEAR_BLACK
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
