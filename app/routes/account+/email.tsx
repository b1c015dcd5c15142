import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { confirmPassword, hasPassword } from '../../modules/passwords/confirm.server'
import { requireUser } from '../../modules/sessions/session.server'
import { emailSchema } from '../../modules/users/email'
import { refuseSend, sendEmailChange } from '../../modules/verification/flows.server'
import { LINK_TTL_MINUTES } from '../../modules/verification/verification.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Change email · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

export async function loader({ request, context }: LoaderFunctionArgs) {
	const current = await requireUser(request, context)
	await requireRecentAuthentication(request, context, current)
	const { user } = current
	return { orgName: displayNameOf(context.org.branding.document, context.org), email: user.email, hasPassword: await hasPassword(user.id) }
}

type Result = { formError: string | null; fieldErrors: { newEmail?: string[]; password?: string[] }; sentTo: string | null }

/**
 * A new address takes effect only when a link sent to it is opened (see /verify); the old address
 * is told then. The password is asked first, through the sign-in throttle.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	const current = await requireUser(request, context)
	await requireRecentAuthentication(request, context, current)
	const { user } = current
	const form = await readFormData(request)
	const newEmail = emailSchema.safeParse(form.get('newEmail'))
	if (!newEmail.success) return data<Result>({ formError: null, fieldErrors: { newEmail: newEmail.error.issues.map((i) => i.message) }, sentTo: null }, { status: 400 })
	if (newEmail.data === user.email) return data<Result>({ formError: null, fieldErrors: { newEmail: ['That is already your email address.'] }, sentTo: null }, { status: 400 })
	const confirmed = await confirmPassword(context, user, form.get('password'))
	if (!confirmed.ok) {
		const headers = confirmed.retryAfterSeconds ? { 'Retry-After': String(confirmed.retryAfterSeconds) } : undefined
		const fieldErrors = confirmed.status === 429 ? {} : { password: [confirmed.message] }
		return data<Result>({ formError: confirmed.status === 429 ? confirmed.message : null, fieldErrors, sentTo: null }, { status: confirmed.status, headers })
	}
	const refusal = await refuseSend(context, newEmail.data)
	if (refusal) return data<Result>({ formError: refusal.message, fieldErrors: {}, sentTo: null }, { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } })
	await sendEmailChange(context, user, newEmail.data)
	return data<Result>({ formError: null, fieldErrors: {}, sentTo: newEmail.data })
}

export default function ChangeEmailPage() {
	const { email, hasPassword } = useLoaderData<typeof loader>()
	const result = useActionData<Result>()
	const submitting = useNavigation().state === 'submitting'
	const footer = (
		<Link className="text-link underline" to="/account">
			Back to your account
		</Link>
	)
	if (result?.sentTo) {
		return (
			<AuthCard page="account-email" title="Check your new inbox" footer={footer}>
				<p role="status" className="text-sm text-foreground">
					We sent a link to {result.sentTo}. Your email address changes when you open it (within {LINK_TTL_MINUTES} minutes). Until then, you sign in with {email}.
				</p>
			</AuthCard>
		)
	}
	return (
		<AuthCard page="account-email" title="Change email" footer={footer}>
			<Form method="POST" className="flex flex-col gap-4">
				<FormError errors={[result?.formError]} />
				<p className="text-sm text-muted">Now: {email}</p>
				<Field label="New email" inputProps={{ name: 'newEmail', type: 'email', autoComplete: 'email', required: true, autoFocus: true, maxLength: 320 }} errors={result?.fieldErrors.newEmail} />
				{hasPassword ? (
					<Field label="Password" inputProps={{ name: 'password', type: 'password', autoComplete: 'current-password', required: true }} errors={result?.fieldErrors.password} />
				) : null}
				<Button type="submit" disabled={submitting}>
					Send confirmation link
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
