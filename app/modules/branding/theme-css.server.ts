import { LRUCache } from 'lru-cache'
import { getTheme } from './theme.server'
import { themeCss } from './tokens'

/** Token derivation walks colour space; its result depends only on (colour, theme), so cache it. */
const cache = new LRUCache<string, string>({ max: 5000 })

export function themeCssFor(org: { brandColor: string; themeId: string }): string {
	const key = `${org.themeId} ${org.brandColor}`
	let css = cache.get(key)
	if (css === undefined) {
		css = themeCss(org.brandColor, getTheme(org.themeId))
		cache.set(key, css)
	}
	return css
}
