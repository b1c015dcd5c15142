import { z } from 'zod'
import { contrast, luminance, parseBrandColor } from './color'

/*
 * The shape of `themes/<id>/theme.json`. Pure (no node imports) so the token builder and
 * tests can share the `Theme` type. Contrast between the base colours is checked here, for the
 * light and the dark palette, so a theme that cannot meet WCAG AA is refused when it loads
 * instead of shipping unreadable text.
 */

/** WCAG 2.2 AA for normal text (1.4.3). */
export const TEXT_CONTRAST = 4.5

export const MODES = ['light', 'dark'] as const
export type Mode = (typeof MODES)[number]

/**
 * Where the card sits. `centered`: the name or logo above one card on the page background.
 * `split`: a brand-coloured panel with the name or logo beside the card (above it on phones).
 * `full-bleed`: the brand colour fills the page and everything sits in the card.
 */
export const LAYOUTS = ['centered', 'split', 'full-bleed'] as const
export type Layout = (typeof LAYOUTS)[number]

const hexColor = z
	.string()
	.refine((value) => parseBrandColor(value) !== null, { message: 'must be a hex colour like #1f2937 or #fff' })
	.transform((value) => parseBrandColor(value) ?? value)

const baseColorsSchema = z
	.object({
		/** Page background; an org's own background colour replaces it. */
		background: hexColor,
		/** Cards and panels on the page. */
		surface: hexColor,
		/** Body text; ≥ 4.5:1 on background and surface. */
		foreground: hexColor,
		/** Secondary text; ≥ 4.5:1 on background and surface. */
		mutedForeground: hexColor,
		/** Dividers; input outlines are derived from it to reach 3:1. */
		border: hexColor,
		/** Error text; ≥ 4.5:1 on background and surface. */
		danger: hexColor,
	})
	.strict()
export type BaseColors = z.output<typeof baseColorsSchema>

/** The checks a palette of `mode` must pass, as `path: message` problems (none when it is fine). */
export function baseColorProblems(colors: BaseColors, mode: Mode): { path: string[]; message: string }[] {
	const problems: { path: string[]; message: string }[] = []
	for (const key of ['foreground', 'mutedForeground', 'danger'] as const) {
		for (const against of ['background', 'surface'] as const) {
			const ratio = contrast(colors[key], colors[against])
			if (ratio < TEXT_CONTRAST) problems.push({ path: [key], message: `contrast with ${against} is ${ratio.toFixed(2)}:1, needs at least ${TEXT_CONTRAST}:1` })
		}
	}
	// Derived colours lean away from the background; a light palette on a dark page would lean the wrong way.
	const light = isLightColor(colors.background)
	if (light !== (mode === 'light')) {
		problems.push({
			path: ['background'],
			message: `${colors.background} (luminance ${luminance(colors.background).toFixed(2)}) is ${light ? 'light' : 'dark'}, but this is the ${mode} palette`,
		})
	}
	return problems
}

/** Closer to white than to black, by contrast: dark text reads better on it. */
export function isLightColor(color: string): boolean {
	return contrast(color, '#000000') >= contrast(color, '#ffffff')
}

export const ThemeSchema = z
	.object({
		/** Matches the folder name under `themes/`; stored on the org's branding. */
		id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'must be lower-case letters, digits and hyphens' }),
		/** Shown in the branding studio's theme picker. */
		name: z.string().min(1).max(60),
		layout: z.enum(LAYOUTS),
		/** One palette per mode: an org shows light, dark, or whichever the visitor's system prefers. */
		colors: z.object({ light: baseColorsSchema, dark: baseColorsSchema }).strict(),
	})
	.strict()
	.superRefine((theme, ctx) => {
		for (const mode of MODES) {
			for (const problem of baseColorProblems(theme.colors[mode], mode)) {
				ctx.addIssue({ code: 'custom', path: ['colors', mode, ...problem.path], message: problem.message })
			}
		}
	})

export type Theme = z.output<typeof ThemeSchema>
