import { z } from 'zod'
import { parseBrandColor } from '../branding/tokens'

/** Labels that would collide with hosts Foyer or operators use. */
const RESERVED_SLUGS = new Set(['www', 'api', 'admin', 'operator', 'localhost', 'login', 'auth', 'oidc', 'static', 'assets', 'mail', 'status'])

const slugShape = z
	.string({ error: 'Slug is required' })
	.trim()
	.toLowerCase()
	.min(2, 'Slug must be at least 2 characters')
	.max(40, 'Slug must be at most 40 characters')
	.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'Slug may use a-z, 0-9 and inner hyphens (it becomes a host name)')

export const orgSlugSchema = slugShape.refine((slug) => !RESERVED_SLUGS.has(slug), 'This slug is reserved')

export const orgNameSchema = z
	.string({ error: 'Name is required' })
	.trim()
	.min(1, 'Name is required')
	.max(100, 'Name must be at most 100 characters')
	.refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'Name cannot contain control characters')

export const brandColorSchema = z
	.string({ error: 'Brand colour is required' })
	.transform((value, ctx) => {
		const color = parseBrandColor(value)
		if (!color) {
			ctx.addIssue({ code: 'custom', message: 'Brand colour must be a hex colour like #4f46e5' })
			return z.NEVER
		}
		return color
	})

export const createOrgSchema = z.object({
	name: orgNameSchema,
	slug: orgSlugSchema,
	brandColor: brandColorSchema.default('#4f46e5'),
	themeId: z.string().regex(/^[a-z0-9-]{1,40}$/).default('default'),
})

/** Only Foyer itself creates the operator org, whose slug is reserved for everyone else. */
export const createOperatorOrgSchema = createOrgSchema.extend({ slug: slugShape })

export type CreateOrgInput = z.input<typeof createOrgSchema>
