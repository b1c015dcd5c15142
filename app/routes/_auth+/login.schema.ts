import { z } from 'zod'
import { emailSchema } from '../../modules/users/email'
import { passwordInputSchema } from '../../modules/passwords/policy'

/** Shared by the browser (Conform) and the server. */
export const LoginSchema = z.object({
	email: emailSchema,
	password: passwordInputSchema,
	redirectTo: z.string().max(2048).optional(),
})
