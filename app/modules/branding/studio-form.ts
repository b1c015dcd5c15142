import { z } from 'zod'
import { ASSET_TYPES, brandingDocumentSchema, type AssetRef } from './document'

/**
 * The branding studio's form as the browser posts it (with or without JavaScript): the document's
 * own field names (`colors.light.brand`, `texts.signInHeading`, ...), a checkbox for `securedBy`
 * and each image as `<sha256>.<type>` (or empty for none). Parsed with the document's own schema,
 * so the form, the API and the CLI share every limit.
 */
const ASSET_VALUE = new RegExp(`^([0-9a-f]{64})\\.(${ASSET_TYPES.join('|')})$`)

export function assetValue(ref: AssetRef | null): string {
	return ref ? `${ref.sha256}.${ref.type}` : ''
}

const imageField = z
	.string()
	.optional()
	.transform((value, ctx) => {
		if (!value) return null
		const match = ASSET_VALUE.exec(value)
		if (!match) {
			ctx.addIssue({ code: 'custom', message: 'Choose an uploaded image' })
			return z.NEVER
		}
		return { sha256: match[1]!, type: match[2] as AssetRef['type'] }
	})

export const studioFormSchema = brandingDocumentSchema.extend({
	securedBy: z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean()),
	logo: z.preprocess((value) => value ?? {}, z.object({ light: imageField, dark: imageField })),
	icon: imageField,
	// A textarea posts "" for nothing; the form sends CRLF line ends, kept as typed.
	customCss: brandingDocumentSchema.shape.customCss,
})

export const STUDIO_INTENTS = ['save', 'publish', 'discard', 'restore'] as const
export type StudioIntent = (typeof STUDIO_INTENTS)[number]
