import { type PublishedBranding } from '../orgs/resolve.server'
import { assetPath, displayNameOf, type Appearance, type AssetRef, type BrandingDocument } from './document'
import { type Layout } from './theme-schema'
import { getTheme } from './theme.server'

/*
 * What the hosted pages render of an org's published branding, besides its colours (those are
 * CSS: theme-css.server.ts): name, logo, favicon, layout, texts, links. Built from the published
 * version only (ResolvedOrg.branding), never from a draft, so end users see what was published.
 */

/** Foyer's own favicon in public/ (served by server/app.ts), for orgs without an icon. */
export const DEFAULT_FAVICON = { href: '/favicon.svg', type: 'image/svg+xml' } as const

const IMAGE_TYPES: Record<AssetRef['type'], string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', svg: 'image/svg+xml' }

export type HostedLink = { id: 'terms' | 'privacy' | 'support'; label: string; href: string }

export type HostedLook = {
	displayName: string
	/**
	 * The logo to show (a path under /assets), and the one the browser swaps in under
	 * `prefers-color-scheme: dark` when the org follows the system and uploaded both; null
	 * without a logo (the display name is shown as text).
	 */
	logo: { src: string; darkSrc: string | null } | null
	icon: { href: string; type: string }
	appearance: Appearance
	layout: Layout
	texts: BrandingDocument['texts']
	links: HostedLink[]
	securedBy: boolean
	/** The version's sanitized custom CSS, when it has any. */
	stylesheet: string | null
	/** Whether pages carry the `data-foyer-*` hooks (see customCssHooks). */
	hooks: boolean
}

const LINK_LABELS: Record<HostedLink['id'], string> = { terms: 'Terms', privacy: 'Privacy', support: 'Support' }

export function hostedLook(org: { name: string; branding: PublishedBranding }): HostedLook {
	const { document, version } = org.branding
	const links = (['terms', 'privacy', 'support'] as const).flatMap((id) => {
		const href = document.links[id]
		return href ? [{ id, label: LINK_LABELS[id], href }] : []
	})
	return {
		displayName: displayNameOf(document, org),
		logo: logoOf(document),
		icon: document.icon ? { href: assetPath(document.icon), type: IMAGE_TYPES[document.icon.type] } : DEFAULT_FAVICON,
		appearance: document.appearance,
		layout: getTheme(document.themeId).layout,
		texts: document.texts,
		links,
		securedBy: document.securedBy,
		stylesheet: version !== null && customCssHooks(org.branding) ? customStylesheetPath(version) : null,
		hooks: customCssHooks(org.branding),
	}
}

/** A logo uploaded for one mode stands in for the other; with both, the mode shown picks. */
function logoOf({ logo, appearance }: Pick<BrandingDocument, 'logo' | 'appearance'>): HostedLook['logo'] {
	const light = logo.light ? assetPath(logo.light) : null
	const dark = logo.dark ? assetPath(logo.dark) : null
	if (appearance === 'dark') return dark || light ? { src: (dark ?? light)!, darkSrc: null } : null
	if (!light) return dark ? { src: dark, darkSrc: null } : null
	return { src: light, darkSrc: appearance === 'system' ? dark : null }
}

/** Where a published version's custom CSS is served. */
export function customStylesheetPath(version: number): string {
	return `/branding/${version}.css`
}

/**
 * The `data-foyer-*` attributes custom CSS hooks onto are rendered only for an org that has
 * custom CSS: everyone else's pages stay free of the vendor's name, markup included
 * (white-label), and the hooks are there exactly when something reads them.
 */
export function customCssHooks(branding: Pick<PublishedBranding, 'css'>): boolean {
	return branding.css.trim() !== ''
}
