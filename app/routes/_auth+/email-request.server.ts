import { data } from '@remix-run/node'
import { z } from 'zod'
import { redirectToField } from './login.schema'
import { type RequestContext } from '../../context'
import { safeRedirectPath } from '../../modules/sessions/session.server'
import { emailSchema } from '../../modules/users/email'
import { refuseSend } from '../../modules/verification/flows.server'
import { readFormData } from '../../utils/forms.server'

const emailRequestSchema = z.object({ email: emailSchema, redirectTo: redirectToField })

export type EmailRequestResult = { fieldErrors: { email?: string[] } | null; formError: string | null; sentTo: string | null }

/**
 * The shared half of "email me a link / a code / a reset link": parse the address, apply the
 * per-address send limit, then hand over to the flow, which sends only if an account exists.
 * The answer never depends on that.
 */
export async function handleEmailRequest(
	request: Request,
	context: RequestContext,
	send: (email: string, redirectTo: string | null) => Promise<Response | void>,
) {
	const parsed = emailRequestSchema.safeParse(Object.fromEntries(await readFormData(request)))
	if (!parsed.success) {
		return data<EmailRequestResult>({ fieldErrors: { email: parsed.error.flatten().fieldErrors.email }, formError: null, sentTo: null }, { status: 400 })
	}
	const { email, redirectTo } = parsed.data
	const refusal = await refuseSend(context, email)
	if (refusal) {
		return data<EmailRequestResult>(
			{ fieldErrors: null, formError: refusal.message, sentTo: null },
			{ status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } },
		)
	}
	const response = await send(email, redirectTo ? safeRedirectPath(redirectTo) : null)
	if (response) throw response
	return data<EmailRequestResult>({ fieldErrors: null, formError: null, sentTo: email })
}

/** 404 for a method the org has switched off, on its page and its POST alike. */
export function requireMethod(enabled: boolean) {
	if (!enabled) throw data('Not found', { status: 404 })
}
