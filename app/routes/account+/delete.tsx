import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { clearSessionCookieHeader, requireUser } from '../../modules/sessions/session.server'
import { deleteOwnAccount } from '../../modules/users/delete.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Delete account · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const current = await requireUser(request, context)
	await requireRecentAuthentication(request, context, current)
	return { orgName: displayNameOf(context.org.branding.document, context.org), email: current.user.email }
}

/** Needs a recent sign-in or second factor, and the address typed out, so it is never one stray click. */
export async function action({ request, context }: ActionFunctionArgs) {
	const current = await requireUser(request, context)
	await requireRecentAuthentication(request, context, current)
	const typed = (await readFormData(request)).get('confirmEmail')
	if (typeof typed !== 'string' || typed.trim().toLowerCase() !== current.user.email) {
		return data({ formError: null, fieldError: 'Type your email address exactly as shown to confirm.' }, { status: 400 })
	}
	const deleted = await deleteOwnAccount(context, current.user)
	if (!deleted.ok) return data({ formError: deleted.message, fieldError: null }, { status: 409 })
	throw redirect('/login?notice=account-deleted', { headers: { 'Set-Cookie': clearSessionCookieHeader(context) } })
}

export default function DeleteAccountPage() {
	const { orgName, email } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	return (
		<AuthCard
			page="account-delete"
			title="Delete your account"
			footer={
				<Link className="text-link underline" to="/account">
					Keep my account
				</Link>
			}
		>
			<Form method="POST" className="flex flex-col gap-4">
				<p className="text-sm text-foreground">
					This deletes <strong>{email}</strong> from {orgName}: your sign-in methods, sessions and the apps you connected. It cannot be undone.
				</p>
				<FormError errors={[result?.formError]} />
				<Field label="Type your email address to confirm" inputProps={{ name: 'confirmEmail', type: 'email', autoComplete: 'off', required: true }} errors={result?.fieldError ? [result.fieldError] : undefined} />
				<Button type="submit">Delete my account</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
