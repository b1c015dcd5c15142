import { contrast, luminance } from './color'
import { type BrandingDocument } from './document'
import { MODES, TEXT_CONTRAST, type Mode, type Theme } from './theme-schema'
import { bestTextOn, documentTokens, modesOf, picksOf, RING_CONTRAST, type BrandTokens, type Picks } from './tokens'

/*
 * What the branding studio shows next to the colour pickers: for each pair of colours a page
 * shows, in light and dark, the colours the admin's picks amount to, their WCAG 2.2 AA grade,
 * and the colours pages really use (documentTokens: nudged in lightness where the pick falls
 * short, so the page itself always passes). Pure: the studio's loader and its tests call it.
 */

export type ContrastCheckId =
	| 'text-on-background'
	| 'text-on-surface'
	| 'muted-on-background'
	| 'muted-on-surface'
	| 'button-text'
	| 'link-on-background'
	| 'link-on-surface'
	| 'focus-on-background'
	| 'focus-on-surface'
	| 'error-on-background'
	| 'error-on-surface'
	| 'error-on-panel'

export type ColorPair = { color: string; against: string; ratio: number }

export type ContrastCheck = {
	id: ContrastCheckId
	mode: Mode
	/** "Links on the card": what is checked, for a list. */
	label: string
	/** 4.5:1 for text (WCAG 1.4.3), 3:1 for the focus ring (1.4.11). */
	required: number
	/** The colours the admin's picks (and the theme's base colours) give, before any nudging. */
	picked: ColorPair
	/** Whether `picked` meets `required` as it is. */
	passes: boolean
	/** What pages use: the same as `picked` when it passes, else nudged in lightness. Always meets `required`. */
	used: ColorPair
	/** One sentence for someone who has never heard of WCAG. */
	explanation: string
}

export type ContrastReport = {
	/** The modes the org's pages show (its appearance); the other is graded too, for when it switches. */
	shown: Mode[]
	light: ContrastCheck[]
	dark: ContrastCheck[]
	/** Every pick of every shown mode passes as it is. */
	allPass: boolean
}

type Definition = {
	id: ContrastCheckId
	label: string
	/** The start of the explanation: "Links", "Body text". */
	subject: string
	/** Where it sits: "the page background", "the card". */
	place: string
	/** What moves when it falls short, and how it is said: "links are shown in". */
	fix: string
	required: number
	picked: (picks: Picks) => [string, string]
	used: (tokens: BrandTokens) => [string, string]
	/** Which of the pair moves when nudged: the button colour, not its text. */
	moves: 'color' | 'against'
}

const text = (id: ContrastCheckId, label: string, subject: string, place: string, fix: string, picked: Definition['picked'], used: Definition['used']): Definition => ({
	id,
	label,
	subject,
	place,
	fix,
	required: TEXT_CONTRAST,
	picked,
	used,
	moves: 'color',
})

const DEFINITIONS: Definition[] = [
	text('text-on-background', 'Body text on the page background', 'Body text', 'the page background', 'body text is shown in', (p) => [p.foreground, p.background], (t) => [t['--brand-foreground'], t['--brand-background']]),
	text('text-on-surface', 'Body text on the card', 'Body text', 'the card', 'body text is shown in', (p) => [p.foreground, p.surface], (t) => [t['--brand-foreground'], t['--brand-surface']]),
	text('muted-on-background', 'Secondary text on the page background', 'Secondary text', 'the page background', 'secondary text is shown in', (p) => [p.muted, p.background], (t) => [t['--brand-muted'], t['--brand-background']]),
	text('muted-on-surface', 'Secondary text on the card', 'Secondary text', 'the card', 'secondary text is shown in', (p) => [p.muted, p.surface], (t) => [t['--brand-muted'], t['--brand-surface']]),
	{
		...text('button-text', 'Button text on the button colour', 'Button text', 'the button colour', 'buttons are filled with', (p) => [bestTextOn(p.brand), p.brand], (t) => [t['--brand-primary-foreground'], t['--brand-primary']]),
		moves: 'against',
	},
	text('link-on-background', 'Links on the page background', 'Links', 'the page background', 'links are shown in', (p) => [p.accent, p.background], (t) => [t['--brand-link'], t['--brand-background']]),
	text('link-on-surface', 'Links on the card', 'Links', 'the card', 'links are shown in', (p) => [p.accent, p.surface], (t) => [t['--brand-link'], t['--brand-surface']]),
	{
		...text('focus-on-background', 'Focus ring against the page background', 'The focus ring', 'the page background', 'the focus ring is drawn in', (p) => [p.accent, p.background], (t) => [t['--brand-ring'], t['--brand-background']]),
		required: RING_CONTRAST,
	},
	{
		...text('focus-on-surface', 'Focus ring against the card', 'The focus ring', 'the card', 'the focus ring is drawn in', (p) => [p.accent, p.surface], (t) => [t['--brand-ring'], t['--brand-surface']]),
		required: RING_CONTRAST,
	},
	text('error-on-background', 'Error text on the page background', 'Error text', 'the page background', 'error text is shown in', (p) => [p.danger, p.background], (t) => [t['--brand-danger'], t['--brand-background']]),
	text('error-on-surface', 'Error text on the card', 'Error text', 'the card', 'error text is shown in', (p) => [p.danger, p.surface], (t) => [t['--brand-danger'], t['--brand-surface']]),
	text('error-on-panel', 'Error text on the error panel', 'Error text', 'the error panel', 'error text is shown in', (p) => [p.danger, p.dangerSurface], (t) => [t['--brand-danger-foreground'], t['--brand-danger-surface']]),
]

export function contrastReport(document: Pick<BrandingDocument, 'colors' | 'radius' | 'font' | 'appearance'>, theme: Theme): ContrastReport {
	const [light, dark] = MODES.map((mode) => checksOf(document, theme, mode)) as [ContrastCheck[], ContrastCheck[]]
	const shown = modesOf(document.appearance)
	const allPass = shown.every((mode) => (mode === 'light' ? light : dark).every((check) => check.passes))
	return { shown, light, dark, allPass }
}

function checksOf(document: Pick<BrandingDocument, 'colors' | 'radius' | 'font'>, theme: Theme, mode: Mode): ContrastCheck[] {
	const picks = picksOf(document, theme, mode)
	const tokens = documentTokens(document, theme, mode)
	return DEFINITIONS.map((definition) => {
		const picked = pair(...definition.picked(picks))
		const used = pair(...definition.used(tokens))
		const passes = picked.ratio >= definition.required
		return { id: definition.id, mode, label: definition.label, required: definition.required, picked, passes, used, explanation: explain(definition, picked, used, passes) }
	})
}

function pair(color: string, against: string): ColorPair {
	return { color, against, ratio: contrast(color, against) }
}

function explain(definition: Definition, picked: ColorPair, used: ColorPair, passes: boolean): string {
	const need = `${ratioText(definition.required)}:1`
	const why = definition.required === RING_CONTRAST ? 'so that keyboard users can see where they are' : 'so that people with low vision can read it'
	if (passes) {
		return `${definition.subject} on ${definition.place} has a contrast of ${ratioText(picked.ratio)}:1, at least the ${need} the accessibility standard (WCAG AA) asks for ${why}, so your colours are used as they are.`
	}
	const [before, after] = definition.moves === 'color' ? [picked.color, used.color] : [picked.against, used.against]
	const direction = luminance(after) < luminance(before) ? 'darker' : 'lighter'
	return `${definition.subject} (${picked.color}) on ${definition.place} (${picked.against}) has a contrast of only ${ratioText(picked.ratio)}:1, below the ${need} the accessibility standard (WCAG AA) asks for ${why}, so ${definition.fix} ${after} instead (${ratioText(used.ratio)}:1): the same hue, a little ${direction}.`
}

/** Rounded down, so a ratio just short of 4.5 never reads as "4.5". */
export function ratioText(ratio: number): string {
	const digits = ratio >= 10 ? 1 : 2
	const factor = 10 ** digits
	return (Math.floor(ratio * factor) / factor).toFixed(digits).replace(/\.?0+$/, '')
}
