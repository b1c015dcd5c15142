import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { z } from 'zod'
import { redirectToField } from './login.schema'
import { type RequestContext } from '../../context'
import { recordAuditEvent } from '../../modules/audit/audit.server'
import { loadPasswordBlocklist } from '../../modules/passwords/blocklist.server'
import { checkPassword } from '../../modules/passwords/policy'
import { commitSession, createSession, revokeCurrentSession, safeRedirectPath } from '../../modules/sessions/session.server'
import { createUser, EmailTakenError } from '../../modules/users/users.server'
import { emailSchema } from '../../modules/users/email'
import { readFormData } from '../../utils/forms.server'

export const EMAIL_TAKEN = "We couldn't create an account with this email. If it's yours, sign in instead."

async function serverSignupSchema(context: RequestContext) {
	const blocklist = await loadPasswordBlocklist()
	const { org } = context
	return z
		.object({ email: emailSchema, password: z.string({ error: 'Enter a password' }), redirectTo: redirectToField })
		.transform((value, ctx) => {
			const check = checkPassword(value.password, {
				minLength: org.settings.passwordMinLength,
				context: [value.email.split('@')[0] ?? '', org.name, org.slug],
				blocklist,
			})
			if (!check.ok) {
				ctx.addIssue({ code: 'custom', path: ['password'], message: check.message })
				return z.NEVER
			}
			return { ...value, password: check.password }
		})
}

/**
 * Sign-up: the full password policy on the server, then user, password, session and audit event
 * in one transaction, so a failure leaves nothing behind. The new account is signed in at once.
 */
export async function signUp(request: Request, context: RequestContext) {
	const formData = await readFormData(request)
	const submission = await parseWithZod(formData, { schema: await serverSignupSchema(context), async: true })
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	}
	const { email, password, redirectTo } = submission.value
	let token: string | undefined
	try {
		await createUser(
			{ organizationId: context.org.id, email, password },
			{ ip: context.ip, userAgent: context.userAgent, auditType: 'user.signed_up' },
			async (tx, user) => {
				await revokeCurrentSession(tx, request, context)
				const created = await createSession(tx, { userId: user.id, amr: ['pwd'] }, context)
				await recordAuditEvent(tx, {
					organizationId: context.org.id,
					type: 'user.signed_in',
					actorId: user.id,
					targetType: 'session',
					targetId: created.session.id,
					ip: context.ip,
					userAgent: context.userAgent,
					data: { method: 'password', afterSignUp: true },
				})
				token = created.token
			},
		)
	} catch (error) {
		if (!(error instanceof EmailTakenError)) throw error
		return data({ result: submission.reply({ fieldErrors: { email: [EMAIL_TAKEN] }, hideFields: ['password'] }) }, { status: 409 })
	}
	throw redirect(safeRedirectPath(redirectTo), { headers: { 'Set-Cookie': await commitSession(token!, context) } })
}
