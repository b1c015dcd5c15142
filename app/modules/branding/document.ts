import { z } from 'zod'
import { parseBrandColor } from './color'

/**
 * An org's branding as one document: what an admin sets in the branding studio, saved as a
 * draft, published as a numbered version. Pure (no node imports): the studio's form, the
 * Management API, the CLI, the token builder and the pages all read this one shape, so a limit
 * written here holds everywhere. Every field has a default, so an old document read after a new
 * field was added still parses.
 */

/** Fonts shipped with Foyer under public/fonts (no third-party font host: the CSP stays strict). */
export const FONT_IDS = ['system', 'inter', 'atkinson-hyperlegible', 'source-serif'] as const
export type FontId = (typeof FONT_IDS)[number]

/** Corner radius steps; their CSS lengths live with the token builder. */
export const RADIUS_IDS = ['none', 'small', 'medium', 'large', 'full'] as const
export type RadiusId = (typeof RADIUS_IDS)[number]

export const APPEARANCES = ['light', 'dark', 'system'] as const
export type Appearance = (typeof APPEARANCES)[number]

export const ASSET_TYPES = ['png', 'jpeg', 'webp', 'svg'] as const
export type AssetType = (typeof ASSET_TYPES)[number]

/** Page texts and their limits: short enough to fit the card on a phone. */
export const TEXT_LIMITS = { signInHeading: 60, signInSubtext: 200, signUpHeading: 60, footerText: 200 } as const
export const DISPLAY_NAME_MAX = 60
export const CUSTOM_CSS_MAX_BYTES = 20_000

const hex = z
	.string()
	.trim()
	.refine((value) => parseBrandColor(value) !== null, { message: 'Use a hex colour like #4f46e5' })
	.transform((value) => parseBrandColor(value)!)

const optionalHex = z.preprocess((value) => (value === '' || value === undefined ? null : value), hex.nullable())

/** An uploaded image, by its content hash (served at /assets/<sha256>.<ext>). */
export const assetRefSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), type: z.enum(ASSET_TYPES) })
export type AssetRef = z.infer<typeof assetRefSchema>

export const paletteSchema = z.object({
	/** Buttons; links and the focus ring too unless `accent` is set. */
	brand: hex,
	/** The page background; the theme's own when null. */
	background: optionalHex.default(null),
	/** Links and the focus ring; the brand colour when null. */
	accent: optionalHex.default(null),
})
export type Palette = z.infer<typeof paletteSchema>

const text = (max: number) =>
	z.preprocess(
		(value) => (typeof value === 'string' && value.trim() === '' ? null : value),
		z
			.string()
			.trim()
			.max(max, `At most ${max} characters`)
			// Plain text only: it is rendered as text, but a tag in a heading is always a mistake.
			.refine((value) => !/[<>]/.test(value), 'Plain text only: no < or >')
			.refine((value) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value), 'No control characters')
			.nullable(),
	)

const link = z.preprocess(
	(value) => (value === '' ? null : value),
	z
		.string()
		.trim()
		.max(500, 'At most 500 characters')
		.refine((value) => {
			try {
				return new URL(value).protocol === 'https:'
			} catch {
				return false
			}
		}, 'Use a full https:// address')
		.nullable(),
)

export const brandingDocumentSchema = z.object({
	/** Shown above the card and in emails; the org's name when null. */
	displayName: text(DISPLAY_NAME_MAX).default(null),
	logo: z.object({ light: assetRefSchema.nullable().default(null), dark: assetRefSchema.nullable().default(null) }).default({ light: null, dark: null }),
	/** The favicon. */
	icon: assetRefSchema.nullable().default(null),
	colors: z.object({ light: paletteSchema, dark: paletteSchema }),
	/** A folder under themes/; checked against the shipped themes when saved. */
	themeId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'No such theme').default('default'),
	font: z.enum(FONT_IDS).default('system'),
	radius: z.enum(RADIUS_IDS).default('medium'),
	/** Light, dark, or whatever the visitor's system prefers. */
	appearance: z.enum(APPEARANCES).default('light'),
	texts: z
		.object({
			signInHeading: text(TEXT_LIMITS.signInHeading).default(null),
			signInSubtext: text(TEXT_LIMITS.signInSubtext).default(null),
			signUpHeading: text(TEXT_LIMITS.signUpHeading).default(null),
			footerText: text(TEXT_LIMITS.footerText).default(null),
		})
		.default({ signInHeading: null, signInSubtext: null, signUpHeading: null, footerText: null }),
	links: z.object({ terms: link.default(null), privacy: link.default(null), support: link.default(null) }).default({ terms: null, privacy: null, support: null }),
	/** A small "Secured by Foyer" line under the card. Off: white-label. */
	securedBy: z.boolean().default(false),
	/** The admin's stylesheet as typed; pages get only its sanitized, scoped form. */
	customCss: z
		.string()
		.default('')
		.refine((value) => new TextEncoder().encode(value).length <= CUSTOM_CSS_MAX_BYTES, `At most ${CUSTOM_CSS_MAX_BYTES / 1000} KB of CSS`),
})

export type BrandingDocument = z.output<typeof brandingDocumentSchema>
export type BrandingInput = z.input<typeof brandingDocumentSchema>

/** The dark palette when an org has only ever had one colour: the same brand on the dark theme. */
export function documentFromLegacy(org: { brandColor: string; themeId: string }): BrandingDocument {
	const brand = parseBrandColor(org.brandColor) ?? '#4f46e5'
	return brandingDocumentSchema.parse({
		colors: { light: { brand }, dark: { brand } },
		themeId: org.themeId,
		appearance: org.themeId === 'midnight' ? 'dark' : 'light',
	})
}

/**
 * A stored document (JSON from the database) read leniently: a document that no longer parses
 * (a limit tightened since it was saved) falls back to the org's legacy colours rather than
 * breaking its pages.
 */
export function readStoredDocument(stored: unknown, org: { brandColor: string; themeId: string }): BrandingDocument {
	const parsed = brandingDocumentSchema.safeParse(stored)
	return parsed.success ? parsed.data : documentFromLegacy(org)
}

/** The name pages and emails show. */
export function displayNameOf(document: Pick<BrandingDocument, 'displayName'>, org: { name: string }): string {
	return document.displayName ?? org.name
}

/** Where an uploaded image is served. */
export function assetPath(ref: AssetRef): string {
	return `/assets/${ref.sha256}.${ref.type === 'jpeg' ? 'jpg' : ref.type}`
}
