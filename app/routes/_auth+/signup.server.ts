import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { z } from 'zod'
import { redirectToField } from './login.schema'
import { type RequestContext } from '../../context'
import { invitationInsteadOfSignUp, remindInvitee } from '../../modules/invitations/invitations.server'
import { hashPassword } from '../../modules/passwords/hash.server'
import { checkNewPassword } from '../../modules/passwords/new-password.server'
import { safeRedirectPath } from '../../modules/sessions/session.server'
import { createUser, EmailTakenError } from '../../modules/users/users.server'
import { emailSchema } from '../../modules/users/email'
import { codePagePath, refuseSend, sendAccountExists, sendVerifyEmail } from '../../modules/verification/flows.server'
import { config } from '../../utils/config.server'
import { readFormData } from '../../utils/forms.server'

function serverSignupSchema(context: RequestContext) {
	const { org } = context
	const withPassword = org.settings.passwordSignIn
	return z
		.object({ email: emailSchema, password: withPassword ? z.string({ error: 'Enter a password' }) : z.any().optional(), redirectTo: redirectToField })
		.transform(async (value, ctx) => {
			if (!withPassword) return { ...value, password: undefined }
			const check = await checkNewPassword(org, value.password as string, value.email)
			if (!check.ok) {
				ctx.addIssue({ code: 'custom', path: ['password'], message: check.message })
				return z.NEVER
			}
			return { ...value, password: check.password }
		})
}

/**
 * Sign-up answers the same for every address: "check your email". A new address gets an account
 * (user, password and audit event in one transaction) and a link plus code that verify it and
 * sign in; an address that already has an account gets a note telling its owner. An address with
 * a pending invitation (and no account its owner verified) joins through the invitation: no
 * account is made (one made here would be a stranger's password on the invitee's address) and the
 * invitation email goes out again, within the invitation limits. Every path hashes the password
 * (createUser hashes before its insert fails), so neither the page nor its timing tells them apart.
 */
export async function signUp(request: Request, context: RequestContext) {
	const formData = await readFormData(request)
	const submission = await parseWithZod(formData, { schema: serverSignupSchema(context), async: true })
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	}
	const { email, password, redirectTo } = submission.value
	const refusal = await refuseSend(context, email)
	if (refusal) {
		return data(
			{ result: submission.reply({ formErrors: [refusal.message], hideFields: ['password'] }) },
			{ status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } },
		)
	}
	const next = redirect(codePagePath('verify-email', email, redirectTo ? safeRedirectPath(redirectTo) : null))
	const invitation = await invitationInsteadOfSignUp(context.org.id, email)
	if (invitation) {
		if (password !== undefined) await hashPassword(password, config().secrets.passwordPepper)
		// In the background, as the other paths' mail: the answer must not wait on it.
		void remindInvitee(context, invitation)
		return next
	}
	try {
		const user = await createUser(
			{ organizationId: context.org.id, email, password },
			{ ip: context.ip, userAgent: context.userAgent, auditType: 'user.signed_up' },
		)
		await sendVerifyEmail(context, user, { signIn: true, redirectTo: redirectTo ? safeRedirectPath(redirectTo) : null, background: true })
	} catch (error) {
		if (!(error instanceof EmailTakenError)) throw error
		sendAccountExists(context, email)
	}
	return next
}
