import { type FontId } from './document'

/*
 * The fonts an org can pick, shipped under public/fonts/<id>/ with their licence (SIL OFL 1.1)
 * and served by Foyer itself (server/app.ts): no third-party font host, so `font-src 'self'`
 * stays the whole policy. Latin subset only; other scripts fall back to the system stack named
 * after the family. File names carry the first 10 hex digits of their sha256, so they can be
 * cached for a year: a new font version is a new name (fonts.test.ts checks every hash).
 */

export const SYSTEM_FONT_STACK =
	"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', Arial, sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji'"

/** The characters the latin subset covers, as Fontsource cut it. */
const LATIN_RANGE =
	'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD'

export type FontFace = {
	/** Under /fonts. */
	file: string
	/** One weight, or a variable font's range. */
	weight: string
}

export type Font = {
	/** Shown in the studio's font picker. */
	label: string
	/** The `font-family` of the @font-face rules; null for the system font (nothing to download). */
	family: string | null
	/** The whole `font-family` value pages use. */
	stack: string
	faces: FontFace[]
}

export const FONTS: Record<FontId, Font> = {
	system: { label: "The visitor's system font", family: null, stack: SYSTEM_FONT_STACK, faces: [] },
	inter: {
		label: 'Inter',
		family: 'Inter Variable',
		stack: `'Inter Variable', ${SYSTEM_FONT_STACK}`,
		faces: [{ file: 'inter/inter-latin-wght-normal.3100e775e8.woff2', weight: '100 900' }],
	},
	'atkinson-hyperlegible': {
		label: 'Atkinson Hyperlegible',
		family: 'Atkinson Hyperlegible',
		stack: `'Atkinson Hyperlegible', ${SYSTEM_FONT_STACK}`,
		faces: [
			{ file: 'atkinson-hyperlegible/atkinson-hyperlegible-latin-400-normal.d64ba838ef.woff2', weight: '400' },
			{ file: 'atkinson-hyperlegible/atkinson-hyperlegible-latin-700-normal.140e2bd25a.woff2', weight: '700' },
		],
	},
	'source-serif': {
		label: 'Source Serif 4',
		family: 'Source Serif 4 Variable',
		stack: `'Source Serif 4 Variable', Georgia, Cambria, 'Times New Roman', serif`,
		faces: [{ file: 'source-serif/source-serif-4-latin-wght-normal.382475f382.woff2', weight: '200 900' }],
	},
}

/** The font's family stack; an id that is not shipped (an old document) gets the system font. */
export function fontOf(id: string): Font {
	return Object.hasOwn(FONTS, id) ? FONTS[id as FontId] : FONTS.system
}

/** The @font-face rules of one font: pages load only the font their org picked. */
export function fontFaceCss(id: string): string {
	const font = fontOf(id)
	return font.faces
		.map(
			(face) =>
				`@font-face{font-family:'${font.family}';font-style:normal;font-display:swap;font-weight:${face.weight};src:url(/fonts/${face.file}) format('woff2');unicode-range:${LATIN_RANGE};}`,
		)
		.join('')
}
