import { z } from 'zod'
import { emailSchema } from '../../modules/users/email'
import { passwordInputSchema } from '../../modules/passwords/policy'

/**
 * Where to go after signing in: a hidden field, so a bad value can never be shown to anyone as a
 * field error. Anything unusable is dropped and safeRedirectPath falls back to /account.
 */
export const redirectToField = z.string().max(2048).optional().catch(undefined)

/** Shared by the browser (Conform) and the server. */
export const LoginSchema = z.object({
	email: emailSchema,
	password: passwordInputSchema,
	redirectTo: redirectToField,
})
