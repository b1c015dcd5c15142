import { z } from 'zod'
import { redirectToField } from './login.schema'
import { emailSchema } from '../../modules/users/email'
import { PASSWORD_MAX_BYTES } from '../../modules/passwords/policy'

/**
 * The browser's copy of the sign-up rules: quick feedback only. The server applies the full
 * policy (blocklist, context words) in signup.server.ts.
 */
export function signupSchema(minLength: number, withPassword = true) {
	const password = z
		.string({ error: 'Enter a password' })
		.refine((value) => [...value.normalize('NFKC')].length >= minLength, `Use at least ${minLength} characters`)
		.refine((value) => new TextEncoder().encode(value).length <= PASSWORD_MAX_BYTES, `Use at most ${PASSWORD_MAX_BYTES} bytes`)
	return z.object({
		email: emailSchema,
		// Orgs without password sign-in create accounts from the email alone (the link signs in).
		password: withPassword ? password : z.string().optional(),
		redirectTo: redirectToField,
	})
}
