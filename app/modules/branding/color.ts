import { darken, lighten, parseToRgb } from 'polished'

/*
 * Colour helpers shared by the theme schema and the token builder. Pure: no node imports,
 * so they run on the server, in the browser bundle and in tests alike.
 */

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i

/**
 * An admin-typed colour as `#rrggbb` (lower case), or null. Only `#rgb` and `#rrggbb` are
 * accepted: names, rgb() and alpha would widen what later lands inside CSS text.
 */
export function parseBrandColor(input: string): string | null {
	// A length check first so a pasted 100 KB string costs nothing.
	if (typeof input !== 'string' || input.length > 32) return null
	const value = input.trim()
	if (!HEX_COLOR.test(value)) return null
	const hex = value.slice(1).toLowerCase()
	if (hex.length === 6) return `#${hex}`
	return `#${[...hex].map((digit) => digit + digit).join('')}`
}

/** Any colour polished understands, as `#rrggbb`; polished itself shortens to `#rgb` when it can. */
export function toHex(color: string): string {
	const { red, green, blue } = parseToRgb(color)
	return `#${[red, green, blue].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`
}

/**
 * WCAG 2 relative luminance, unrounded. polished's getLuminance rounds to 3 decimals and
 * getContrast to 2, which lets a true 4.496:1 pass as 4.5:1; the guarantees here are exact.
 * @see https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
 */
export function luminance(color: string): number {
	const { red, green, blue } = parseToRgb(color)
	const [r, g, b] = [red, green, blue].map((channel) => {
		const c = channel / 255
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
	}) as [number, number, number]
	return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG 2 contrast ratio, 1 to 21, unrounded. */
export function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
	return (hi + 0.05) / (lo + 0.05)
}

export type Direction = 'darken' | 'lighten'

/**
 * The smallest HSL-lightness shift of `color` in `direction` for which `accept` holds, or null
 * when even black/white fails. Shifting lightness keeps hue and saturation, so a brand colour
 * stays recognisably itself. A coarse scan brackets the answer, bisection narrows it.
 */
export function shiftUntil(
	color: string,
	direction: Direction,
	accept: (candidate: string) => boolean,
): { color: string; amount: number } | null {
	const shift = (amount: number) => toHex(direction === 'darken' ? darken(amount, color) : lighten(amount, color))
	if (accept(color)) return { color: toHex(color), amount: 0 }
	const step = 0.02
	let failing = 0
	for (let amount = step; failing < 1; amount = Math.min(1, amount + step)) {
		if (accept(shift(amount))) {
			let passing = amount
			for (let i = 0; i < 10; i++) {
				const middle = (failing + passing) / 2
				if (accept(shift(middle))) passing = middle
				else failing = middle
			}
			return { color: shift(passing), amount: passing }
		}
		failing = amount
	}
	return null
}

/**
 * `color`, moved the shortest way in lightness until it reaches `min`:1 against every colour
 * in `against`. Falls back to whichever of black and white contrasts best when no shift
 * works, which only happens with backgrounds the theme schema refuses.
 */
export function ensureContrast(color: string, against: string[], min: number): string {
	const enough = (candidate: string) => against.every((other) => contrast(candidate, other) >= min)
	const options = [shiftUntil(color, 'darken', enough), shiftUntil(color, 'lighten', enough)]
		.filter((option) => option !== null)
		.sort((a, b) => a.amount - b.amount)
	if (options[0]) return options[0].color
	const worst = (candidate: string) => Math.min(...against.map((other) => contrast(candidate, other)))
	return worst('#000000') >= worst('#ffffff') ? '#000000' : '#ffffff'
}
