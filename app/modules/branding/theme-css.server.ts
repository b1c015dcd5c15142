import { LRUCache } from 'lru-cache'
import { type BrandingDocument } from './document'
import { getTheme } from './theme.server'
import { brandingCss } from './tokens'

type Look = Pick<BrandingDocument, 'themeId' | 'colors' | 'radius' | 'font' | 'appearance'>

/**
 * Token derivation walks colour space; its result depends only on these parts of a document,
 * so it is cached by their content: every org on the same look shares one entry, and a publish
 * that changes the look is a new key (nothing to invalidate).
 */
const cache = new LRUCache<string, string>({ max: 5000 })

/** The `:root{...}` tokens (and the font's @font-face) of a document, for a nonce'd `<style>`. */
export function brandingCssFor(document: Look): string {
	const theme = getTheme(document.themeId)
	// The theme as loaded (an unknown id is `default`), so two ids that fall back share an entry.
	const key = JSON.stringify([theme.id, document.colors, document.radius, document.font, document.appearance])
	let css = cache.get(key)
	if (css === undefined) {
		css = brandingCss(document, theme)
		cache.set(key, css)
	}
	return css
}
