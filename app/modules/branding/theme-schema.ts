import { z } from 'zod'
import { contrast, luminance, parseBrandColor } from './color'

/*
 * The shape of `themes/<id>/theme.json`. Pure (no node imports) so the token builder and
 * tests can share the `Theme` type. Contrast between the base colours is checked here, so a
 * theme that cannot meet WCAG AA is refused when it loads instead of shipping unreadable text.
 */

/** WCAG AA for normal text. */
export const TEXT_CONTRAST = 4.5

const hexColor = z
	.string()
	.refine((value) => parseBrandColor(value) !== null, { message: 'must be a hex colour like #1f2937 or #fff' })
	.transform((value) => parseBrandColor(value) ?? value)

// radius and fontFamily are pasted into CSS text, so only characters a length or a font
// stack needs get through: no `;`, braces, `url(` or `</style>`.
const cssLength = z
	.string()
	.regex(/^(?:0|\d{1,3}(?:\.\d{1,3})?(?:px|rem|em))$/, { message: 'must be a CSS length like 0.5rem, 6px or 0' })
const fontStack = z
	.string()
	.max(300)
	.regex(/^[\w\s,'"-]+$/, { message: 'must be a plain font stack (letters, digits, spaces, commas, quotes, hyphens)' })

export const ThemeSchema = z
	.object({
		/** Matches the folder name under `themes/`; stored on the org's branding. */
		id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'must be lower-case letters, digits and hyphens' }),
		/** Shown in the admin console's theme picker. */
		name: z.string().min(1).max(60),
		/** Sets `color-scheme`, so native controls and scrollbars match. */
		mode: z.enum(['light', 'dark']),
		colors: z
			.object({
				/** Page background. */
				background: hexColor,
				/** Cards and panels on the page. */
				surface: hexColor,
				/** Body text; ≥ 4.5:1 on background and surface. */
				foreground: hexColor,
				/** Secondary text; ≥ 4.5:1 on background and surface. */
				mutedForeground: hexColor,
				/** Dividers and input outlines. */
				border: hexColor,
				/** Error text; ≥ 4.5:1 on background and surface. */
				danger: hexColor,
			})
			.strict(),
		/** Corner radius of cards, inputs and buttons. */
		radius: cssLength,
		/** A system font stack: Foyer never downloads web fonts. */
		fontFamily: fontStack,
	})
	.strict()
	.superRefine((theme, ctx) => {
		const { background, surface } = theme.colors
		for (const key of ['foreground', 'mutedForeground', 'danger'] as const) {
			for (const [name, against] of [
				['background', background],
				['surface', surface],
			] as const) {
				const ratio = contrast(theme.colors[key], against)
				if (ratio < TEXT_CONTRAST) {
					ctx.addIssue({
						code: 'custom',
						path: ['colors', key],
						message: `contrast with ${name} is ${ratio.toFixed(2)}:1, needs at least ${TEXT_CONTRAST}:1`,
					})
				}
			}
		}
		// Derived colours lean away from the background; a "light" theme on a dark page
		// would lean the wrong way.
		const light = contrast(background, '#000000') >= contrast(background, '#ffffff')
		if (light !== (theme.mode === 'light')) {
			ctx.addIssue({
				code: 'custom',
				path: ['mode'],
				message: `is '${theme.mode}' but background ${background} (luminance ${luminance(background).toFixed(2)}) is ${light ? 'light' : 'dark'}`,
			})
		}
	})

export type Theme = z.output<typeof ThemeSchema>
