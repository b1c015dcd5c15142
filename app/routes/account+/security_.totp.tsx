import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { confirmTotp } from '../../modules/mfa/manage.server'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { normalizeTotpCode } from '../../modules/mfa/totp'
import { pendingTotpEnrolment } from '../../modules/mfa/totp.server'
import { requireUser, safeRedirectPath } from '../../modules/sessions/session.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Set up an authenticator app · ${data?.orgName ?? ''}` }]

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

/** Started from /account/security ("Set up"): shows the secret as a QR code and as text, then takes the first code. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	if (context.org.settings.mfaPolicy === 'off') throw data('Not found', { status: 404 })
	const current = await requireUser(request, context, { allowMfaSetup: true })
	await requireRecentAuthentication(request, context, current)
	const enrolment = await pendingTotpEnrolment(current.user.id, context.org.name, current.user.email)
	const url = new URL(request.url)
	if (!enrolment) throw redirect(`/account/security${url.search}`)
	return { orgName: displayNameOf(context.org.branding.document, context.org), secret: enrolment.secret, qrDataUrl: enrolment.qrDataUrl, uri: enrolment.uri }
}

type Result = { error: string | null; fieldError: string | null }

export async function action({ request, context }: ActionFunctionArgs) {
	if (context.org.settings.mfaPolicy === 'off') throw data('Not found', { status: 404 })
	const current = await requireUser(request, context, { allowMfaSetup: true })
	await requireRecentAuthentication(request, context, current)
	const code = normalizeTotpCode((await readFormData(request)).get('code'))
	if (!code) return data<Result>({ error: null, fieldError: 'Enter the 6-digit code your app shows.' }, { status: 400 })
	const confirmed = await confirmTotp(request, context, current, code, '/account/security')
	if (!confirmed.ok) {
		if (confirmed.status === 429) return data<Result>({ error: confirmed.message, fieldError: null }, { status: 429, headers: { 'Retry-After': String(confirmed.retryAfterSeconds) } })
		return data<Result>({ error: null, fieldError: confirmed.message }, { status: 400 })
	}
	// On to the security page, which offers backup codes next (and a way on, when policy sent them here).
	const url = new URL(request.url)
	const query = new URLSearchParams({ notice: 'totp-on' })
	if (url.searchParams.has('redirectTo')) query.set('redirectTo', safeRedirectPath(url.searchParams.get('redirectTo')))
	throw redirect(`/account/security?${query}`, { headers: setCookies(confirmed.setCookies) })
}

export default function TotpSetupPage() {
	const { secret, qrDataUrl } = useLoaderData<typeof loader>()
	const result = useActionData<Result>()
	const submitting = useNavigation().state === 'submitting'
	return (
		<AuthCard
			page="account-authenticator"
			title="Set up an authenticator app"
			footer={
				<Link className="text-link underline" to="/account/security">
					Cancel
				</Link>
			}
		>
			<ol className="mb-4 flex list-decimal flex-col gap-3 pl-5 text-sm text-foreground">
				<li>
					Scan this QR code with your authenticator app.
					<img src={qrDataUrl} alt="QR code for your authenticator app" width={220} height={220} className="mt-2 rounded-brand border border-border bg-white" />
				</li>
				<li>
					Or enter this key by hand:
					<code className="mt-1 block break-all rounded-brand border border-border bg-background px-2 py-1 font-mono" data-testid="totp-secret">
						{secret.match(/.{1,4}/g)?.join(' ')}
					</code>
				</li>
				<li>Enter the 6-digit code the app shows.</li>
			</ol>
			<Form method="POST" reloadDocument className="flex flex-col gap-4">
				<FormError errors={[result?.error]} />
				<Field
					label="Code from your authenticator app"
					inputProps={{ name: 'code', required: true, autoFocus: true, autoComplete: 'one-time-code', inputMode: 'numeric', spellCheck: false }}
					errors={result?.fieldError ? [result.fieldError] : undefined}
				/>
				<Button type="submit" disabled={submitting}>
					Turn on
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
