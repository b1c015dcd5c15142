import type { EmailBrand } from '../../../emails'
import { getTheme } from '../branding/theme.server'
import { brandTokens } from '../branding/tokens'

/**
 * An org's emails in the colours of its pages: the same tokens (brand colour + base theme,
 * AA contrast guaranteed) that theme-css.server.ts turns into CSS, as plain values to inline.
 * An unknown themeId falls back to the default theme, as the pages do.
 */
export function emailBrand(org: { name: string; brandColor: string; themeId: string; logoUrl?: string | null }): EmailBrand {
	const tokens = brandTokens(org.brandColor, getTheme(org.themeId))
	return {
		orgName: org.name,
		logoUrl: absoluteHttpUrl(org.logoUrl),
		primary: tokens['--brand-primary'],
		primaryForeground: tokens['--brand-primary-foreground'],
		background: tokens['--brand-background'],
		surface: tokens['--brand-surface'],
		foreground: tokens['--brand-foreground'],
		muted: tokens['--brand-muted'],
		border: tokens['--brand-border'],
		link: tokens['--brand-link'],
		fontFamily: tokens['--brand-font'],
	}
}

// A mail client has no page to resolve a relative URL against, and only fetches http(s).
function absoluteHttpUrl(value: string | null | undefined): string | null {
	if (!value) return null
	try {
		const url = new URL(value)
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
	} catch {
		return null
	}
}
