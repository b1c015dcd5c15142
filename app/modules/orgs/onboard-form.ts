import { z } from 'zod'
import { emailSchema } from '../users/email'
import { brandColorSchema, orgNameSchema, orgSlugSchema } from './schema'

/** The operator console's onboarding form: the org as `foyer orgs create` takes it, and its first admin. */
export const onboardSchema = z.object({
	name: orgNameSchema,
	slug: orgSlugSchema,
	brandColor: brandColorSchema,
	adminEmail: emailSchema,
})

export type OnboardInput = z.input<typeof onboardSchema>
