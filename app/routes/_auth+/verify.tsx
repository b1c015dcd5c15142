import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { NewPasswordField } from '../../components/password-strength'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { emailSchema } from '../../modules/users/email'
import { readFormData } from '../../utils/forms.server'
import { CODE_TYPES, inspectLink, linkProblemMessage, requireTypeEnabled, resend, redeemCode, redeemLink, type CodeType } from './verify.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Check your email · ${data?.orgName ?? ''}` }]

export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
	const retryAfter = actionHeaders.get('Retry-After') ?? loaderHeaders.get('Retry-After')
	// The URL may hold a live token: never cached, never sent on as a Referer.
	return { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
	const url = new URL(request.url)
	const { org } = context
	const common = { orgName: displayNameOf(org.branding.document, org), minLength: org.settings.passwordMinLength, passwordSignIn: org.settings.passwordSignIn, magicLinkSignIn: org.settings.magicLinkSignIn }
	const token = url.searchParams.get('token')
	if (token !== null) {
		const link = await inspectLink(context, token)
		if (!link.ok) return data({ ...common, view: 'problem' as const, problem: linkProblemMessage(link.reason) }, { status: 400 })
		return { ...common, view: 'link' as const, token, type: link.type, email: link.email, newEmail: link.newEmail }
	}
	const type = url.searchParams.get('type') ?? ''
	const target = emailSchema.safeParse(url.searchParams.get('target'))
	if (!(CODE_TYPES as readonly string[]).includes(type) || !target.success) {
		return data({ ...common, view: 'problem' as const, problem: 'This link is incomplete. Open the newest email again, or start over.' }, { status: 400 })
	}
	requireTypeEnabled(context, type)
	return {
		...common,
		view: 'code' as const,
		type: type as CodeType,
		target: target.data,
		redirectTo: url.searchParams.get('redirectTo') ?? '',
		unverified: url.searchParams.get('reason') === 'unverified',
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const form = await readFormData(request)
	switch (form.get('intent')) {
		case 'link':
			return redeemLink(request, context, form)
		case 'code':
			return redeemCode(request, context, form)
		case 'resend':
			return resend(context, form)
		default:
			throw data('Unknown action.', { status: 400 })
	}
}

type ActionResult = { problem: string | null; fieldErrors: Record<string, string[] | undefined> | null; resent?: boolean }

const LINK_VIEWS = {
	'verify-email': { title: 'Verify your email', button: 'Verify email', text: (email: string) => `Confirm that ${email} is your email address.` },
	'magic-link': { title: 'Sign in', button: 'Sign in', text: (email: string) => `Continue as ${email}.` },
	'change-email': { title: 'Confirm your new email', button: 'Confirm new email', text: (email: string) => `Use ${email} as your account's email address from now on.` },
	'reset-password': { title: 'Choose a new password', button: 'Set new password', text: (email: string) => `For ${email}. Every device signed in to this account will be signed out.` },
	'sign-in-code': { title: 'Sign in', button: 'Sign in', text: (email: string) => email },
} as const

export default function VerifyPage() {
	const page = useLoaderData<typeof loader>()
	const actionData = useActionData<ActionResult>()
	const submitting = useNavigation().state === 'submitting'

	if (page.view === 'problem') {
		return (
			<AuthCard page="verify" title="This link can't be used">
				<FormError errors={[page.problem]} />
				<ul className="mt-4 flex flex-col gap-2 text-sm">
					<li>
						<Link className="text-link underline" to="/login">
							Go to sign in
						</Link>
					</li>
					{page.passwordSignIn ? (
						<li>
							<Link className="text-link underline" to="/forgot-password">
								Send a new password reset link
							</Link>
						</li>
					) : null}
					{page.magicLinkSignIn ? (
						<li>
							<Link className="text-link underline" to="/login/link">
								Send a new sign-in link
							</Link>
						</li>
					) : null}
				</ul>
			</AuthCard>
		)
	}

	if (page.view === 'link') {
		const view = LINK_VIEWS[page.type]
		return (
			<AuthCard page="verify" title={view.title}>
				<Form method="POST" reloadDocument className="flex flex-col gap-4">
					<FormError errors={[actionData?.problem]} />
					<p className="text-sm text-foreground">{view.text(page.newEmail ?? page.email)}</p>
					<input type="hidden" name="token" value={page.token} />
					{page.type === 'reset-password' ? (
						<NewPasswordField
							label="New password"
							inputProps={{ name: 'password', required: true }}
							minLength={page.minLength}
							userInputs={[page.email.split('@')[0] ?? '', page.orgName]}
							errors={actionData?.fieldErrors?.password}
						/>
					) : null}
					<Button type="submit" name="intent" value="link" disabled={submitting}>
						{view.button}
					</Button>
				</Form>
			</AuthCard>
		)
	}

	const signingIn = page.type === 'sign-in-code'
	return (
		<AuthCard
			page="verify"
			title="Check your email"
			footer={
				<Form method="POST" reloadDocument>
					<input type="hidden" name="type" value={page.type} />
					<input type="hidden" name="target" value={page.target} />
					<input type="hidden" name="redirectTo" value={page.redirectTo} />
					<button type="submit" name="intent" value="resend" className="text-link underline">
						{signingIn ? 'Send a new code' : 'Send a new email'}
					</button>
				</Form>
			}
		>
			<Form method="POST" reloadDocument className="flex flex-col gap-4">
				<FormError errors={[actionData?.problem]} />
				{actionData?.resent ? (
					<p role="status" className="text-sm text-foreground">
						We sent a new email to {page.target}.
					</p>
				) : null}
				<p className="text-sm text-foreground">
					{page.unverified ? 'Verify your email address to finish signing in. ' : null}
					{signingIn
						? `If ${page.target} has an account here, we sent it a 6-digit code. It works for 10 minutes.`
						: `We sent an email to ${page.target}. Open its link, or enter the code from it.`}
				</p>
				<input type="hidden" name="type" value={page.type} />
				<input type="hidden" name="target" value={page.target} />
				<input type="hidden" name="redirectTo" value={page.redirectTo} />
				<Field
					label="Code"
					inputProps={{ name: 'code', inputMode: 'numeric', autoComplete: 'one-time-code', pattern: '[0-9 -]*', maxLength: 12, required: true, autoFocus: true }}
					errors={actionData?.fieldErrors?.code}
				/>
				<Button type="submit" name="intent" value="code" disabled={submitting}>
					{signingIn ? 'Sign in' : 'Verify email'}
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
