import { z } from 'zod'

/**
 * Emails are compared in one canonical form: NFKC, trimmed, lowercased. Lowercasing the local
 * part is what users expect (Auth0, Clerk and Keycloak do the same); no mail host in practice
 * distinguishes case.
 */
export function normalizeEmail(raw: string): string {
	return raw.normalize('NFKC').trim().toLowerCase()
}

export const emailSchema = z
	.string({ error: 'Email is required' })
	.max(1024, 'Email must be at most 254 characters')
	.transform(normalizeEmail)
	.pipe(
		z
			.string()
			.min(1, 'Email is required')
			.max(254, 'Email must be at most 254 characters')
			.refine((value) => !/[\u0000-\u001f\u007f-\u009f\s]/.test(value), 'Email cannot contain spaces or control characters')
			.pipe(z.email('Enter a valid email address')),
	)
