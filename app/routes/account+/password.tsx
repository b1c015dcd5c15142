import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { NewPasswordField } from '../../components/password-strength'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { confirmPassword, hasPassword } from '../../modules/passwords/confirm.server'
import { hashPassword } from '../../modules/passwords/hash.server'
import { checkNewPassword } from '../../modules/passwords/new-password.server'
import { replacePassword } from '../../modules/passwords/replace.server'
import { requireUser } from '../../modules/sessions/session.server'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { setCookies, signInUser } from '../../modules/sessions/sign-in.server'
import { notifyPasswordChanged } from '../../modules/verification/flows.server'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Change password · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

function requirePasswords(context: LoaderFunctionArgs['context']) {
	if (!context.org.settings.passwordSignIn) throw data('Not found', { status: 404 })
}

export async function loader({ request, context }: LoaderFunctionArgs) {
	requirePasswords(context)
	const current = await requireUser(request, context)
	await requireRecentAuthentication(request, context, current)
	const { user } = current
	return { orgName: displayNameOf(context.org.branding.document, context.org), email: user.email, hasPassword: await hasPassword(user.id), minLength: context.org.settings.passwordMinLength }
}

type Errors = { formError: string | null; fieldErrors: { currentPassword?: string[]; newPassword?: string[] } }

/**
 * A new password: the current one first (throttled like sign-in), then the org's policy; the new
 * hash, the end of every session and a fresh session for this browser commit together, and the
 * address is told afterwards.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	requirePasswords(context)
	const current = await requireUser(request, context)
	await requireRecentAuthentication(request, context, current)
	const { user, session } = current
	const form = await readFormData(request)
	const confirmed = await confirmPassword(context, user, form.get('currentPassword'))
	if (!confirmed.ok) {
		const headers = confirmed.retryAfterSeconds ? { 'Retry-After': String(confirmed.retryAfterSeconds) } : undefined
		const errors: Errors = confirmed.status === 429 ? { formError: confirmed.message, fieldErrors: {} } : { formError: null, fieldErrors: { currentPassword: [confirmed.message] } }
		return data(errors, { status: confirmed.status, headers })
	}
	const raw = form.get('newPassword')
	const check = await checkNewPassword(context.org, typeof raw === 'string' ? raw : '', user.email)
	if (!check.ok) return data<Errors>({ formError: null, fieldErrors: { newPassword: [check.message] } }, { status: 400 })
	const hash = await hashPassword(check.password, config().secrets.passwordPepper)
	const cookie = await db().$transaction(async (tx) => {
		await replacePassword(tx, { userId: user.id, hash, reason: 'user.password_changed' }, context)
		// The rotated session keeps what this one had proven: changing a password is not a sign-in.
		const assurance = { aal: session.aal === 'aal2' ? ('aal2' as const) : ('aal1' as const), amr: session.amr }
		return signInUser(request, context, { userId: user.id, assurance, method: 'password', sameBrowser: true, data: { afterPasswordChange: true } }, tx)
	})
	notifyPasswordChanged(context, user.email)
	throw redirect('/account?notice=password-changed', { headers: setCookies(cookie) })
}

export default function ChangePasswordPage() {
	const { orgName, email, hasPassword, minLength } = useLoaderData<typeof loader>()
	const errors = useActionData<Errors>()
	const submitting = useNavigation().state === 'submitting'
	return (
		<AuthCard
			page="account-password"
			title={hasPassword ? 'Change password' : 'Set a password'}
			footer={
				<Link className="text-link underline" to="/account">
					Back to your account
				</Link>
			}
		>
			<Form method="POST" className="flex flex-col gap-4">
				<FormError errors={[errors?.formError]} />
				<input type="hidden" name="username" autoComplete="username" value={email} />
				{hasPassword ? (
					<Field
						label="Current password"
						inputProps={{ name: 'currentPassword', type: 'password', autoComplete: 'current-password', required: true, autoFocus: true }}
						errors={errors?.fieldErrors.currentPassword}
					/>
				) : null}
				<NewPasswordField
					label="New password"
					hint={`At least ${minLength} characters. Every other device and every app will be signed out.`}
					inputProps={{ name: 'newPassword', required: true }}
					errors={errors?.fieldErrors.newPassword}
					minLength={minLength}
					userInputs={[email, orgName]}
				/>
				<Button type="submit" disabled={submitting}>
					Change password
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
