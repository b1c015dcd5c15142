import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ConnectedApps } from '../../components/connected-apps'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Notice } from '../../components/ui/notice'
import { GrantNotFoundError, listConnectedApps, revokeAppAccess } from '../../modules/oidc/grants.server'
import { requireUser } from '../../modules/sessions/session.server'
import { codePagePath, refuseSend, sendVerifyEmail } from '../../modules/verification/flows.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

/** Messages other flows send people here with (`/account?notice=...`): fixed text, never from the URL. */
const NOTICES = {
	'email-verified': 'Your email address is verified.',
	'email-changed': 'Your email address was changed. We told your previous address.',
	'password-changed': 'Your password was changed. Every other device and every app was signed out.',
} as const

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Your account · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user } = await requireUser(request, context)
	const notice = new URL(request.url).searchParams.get('notice')
	return {
		orgName: displayNameOf(context.org.branding.document, context.org),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null,
		passwordSignIn: context.org.settings.passwordSignIn,
		user: { email: user.email, emailVerified: user.emailVerified },
		connectedApps: await listConnectedApps(context.org.id, user.id),
	}
}

/** oidc-provider's ids are base64url; anything else names no grant (and must not reach a query as a NUL byte). */
const GRANT_ID = /^[\w-]{1,200}$/

export async function action({ request, context }: ActionFunctionArgs) {
	const { user } = await requireUser(request, context)
	const form = await readFormData(request)
	if (form.get('intent') === 'send-verification') {
		if (user.emailVerified) throw redirect('/account')
		const refusal = await refuseSend(context, user.email)
		if (refusal) throw data(refusal.message, { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } })
		await sendVerifyEmail(context, user, { signIn: false })
		// The email has a link and a code; the code page takes either (and says so).
		throw redirect(codePagePath('verify-email', user.email))
	}
	const grantId = form.get('grantId')
	if (form.get('intent') !== 'revoke-app' || typeof grantId !== 'string' || !GRANT_ID.test(grantId)) throw data('Unknown action.', { status: 400 })
	try {
		const { appName } = await revokeAppAccess(context.org.id, user.id, grantId, { actorId: user.id, ip: context.ip, userAgent: context.userAgent })
		return { revoked: appName }
	} catch (error) {
		if (error instanceof GrantNotFoundError) throw data('That app is not connected to your account.', { status: 404 })
		throw error
	}
}

export default function AccountPage() {
	const { notice, passwordSignIn, user, connectedApps } = useLoaderData<typeof loader>()
	const revoked = useActionData<typeof action>()?.revoked
	return (
		<AuthCard page="account" title="Your account">
			{notice ? <Notice>{notice}</Notice> : null}
			{revoked ? <Notice>{revoked} can no longer use your account.</Notice> : null}
			<dl className="mb-4 grid gap-1">
				<dt className="text-sm text-muted">Signed in as</dt>
				<dd className="font-medium break-all" data-testid="account-email">
					{user.email}
				</dd>
			</dl>
			{user.emailVerified ? null : (
				<section aria-labelledby="verify-reminder" className="mb-4 rounded-brand border border-border bg-background p-3 text-sm">
					<h2 id="verify-reminder" className="font-semibold">
						Verify your email address
					</h2>
					<Form method="POST" className="mt-1">
						<p className="mb-2 text-muted">It lets you recover your account if you lose your password.</p>
						<button type="submit" name="intent" value="send-verification" className="text-link underline">
							Send verification email
						</button>
					</Form>
				</section>
			)}
			<nav aria-label="Account settings" className="mb-6 flex flex-col gap-1 text-sm">
				<Link className="text-link underline" to="/account/email">
					Change email
				</Link>
				<Link className="text-link underline" to="/account/security">
					Security and two-step verification
				</Link>
				<Link className="text-link underline" to="/account/sessions">
					Sessions and devices
				</Link>
				{passwordSignIn ? (
					<Link className="text-link underline" to="/account/password">
						Change password
					</Link>
				) : null}
			</nav>
			<ConnectedApps apps={connectedApps} />
			<Form method="POST" action="/logout">
				<Button type="submit" variant="secondary">
					Sign out
				</Button>
			</Form>
			<Link className="mt-4 inline-block text-sm text-muted underline" to="/account/delete">
				Delete account
			</Link>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
