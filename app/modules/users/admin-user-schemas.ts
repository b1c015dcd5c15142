import { z } from 'zod'
import { emailSchema } from './email'

/** Forms of /admin/users and /admin/users/:id, shared by the browser (Conform) and the server. */

export function createUserSchema(roles: readonly string[]) {
	return z.object({
		email: emailSchema,
		role: z.string({ error: 'Choose a role.' }).refine((role) => roles.includes(role), 'Choose one of the roles listed.'),
	})
}

export const INTENTS = ['disable', 'enable', 'force-password-reset', 'revoke-sessions', 'remove-factors', 'change-role', 'delete'] as const
export type Intent = (typeof INTENTS)[number]

export const intentSchema = z.object({ intent: z.enum(INTENTS, { error: 'That action is not available here.' }) })

/** The intents whose form is a button and nothing else. */
export const buttonIntentSchema = z.object({ intent: z.enum(['disable', 'enable', 'force-password-reset', 'revoke-sessions', 'remove-factors']) })

export const changeRoleSchema = z.object({
	intent: z.literal('change-role'),
	role: z.string({ error: 'Choose a role.' }).trim().min(1, 'Choose a role.').max(100, 'Choose one of the roles listed.'),
})

export const deleteUserSchema = z.object({
	intent: z.literal('delete'),
	confirm: z.boolean({ error: 'Tick the box to confirm the deletion.' }).refine(Boolean, 'Tick the box to confirm the deletion.'),
})

/** Said after the redirect (`?done=`), so a reload does not post again. */
export const DONE_MESSAGES: Record<Exclude<Intent, 'delete'>, string> = {
	disable: 'The user is disabled and signed out everywhere.',
	enable: 'The user is enabled and can sign in again.',
	'force-password-reset': 'The password was removed and every session and app sign-in ended. A reset link was emailed to the user (unless they are disabled).',
	'revoke-sessions': 'Every session and app sign-in of the user has ended.',
	'remove-factors': 'The user’s second factors were removed and their apps signed out. They must set one up again if your policy requires it.',
	'change-role': 'The role was changed.',
}
