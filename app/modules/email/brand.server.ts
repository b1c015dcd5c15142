import type { EmailBrand } from '../../../emails'
import { assetPath, displayNameOf } from '../branding/document'
import { getTheme } from '../branding/theme.server'
import { documentTokens, primaryMode } from '../branding/tokens'
import { type ResolvedOrg } from '../orgs/resolve.server'

export type BrandedOrg = Pick<ResolvedOrg, 'name' | 'origin'> & { branding: Pick<ResolvedOrg['branding'], 'document'> }

/**
 * The one place an org becomes email colours: its PUBLISHED branding (never a draft), through the
 * same token builder the pages use (AA contrast guaranteed), in the palette its pages open with
 * (light, unless the org chose dark: inline styles have no dark variant in most mail clients).
 * An unknown themeId falls back to the default theme, as the pages do. The logo is the light one,
 * as an absolute URL on the org's own origin: a mail client has no page to resolve a relative one against.
 */
export function emailBrand(org: BrandedOrg): EmailBrand {
	const { document } = org.branding
	const tokens = documentTokens(document, getTheme(document.themeId), primaryMode(document.appearance))
	const logo = document.logo.light
	return {
		orgName: displayNameOf(document, org),
		logoUrl: logo ? absoluteHttpUrl(new URL(assetPath(logo), org.origin).href) : null,
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

// A mail client only fetches http(s); anything else shows the name as a wordmark instead.
function absoluteHttpUrl(value: string): string | null {
	try {
		const url = new URL(value)
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
	} catch {
		return null
	}
}
