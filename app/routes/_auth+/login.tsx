import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { PasskeyButton } from '../../components/passkey-button'
import { Button } from '../../components/ui/button'
import { useHostedLook } from '../../components/hosted-look'
import { AuthCard } from '../../components/ui/card'
import { Notice } from '../../components/ui/notice'
import { Field, FormError } from '../../components/ui/field'
import { requireAnonymous } from '../../modules/sessions/session.server'
import { LoginSchema } from './login.schema'
import { signInWithPassword } from './login.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sign in · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

export async function loader({ request, context }: LoaderFunctionArgs) {
	// An app may demand a fresh sign-in (prompt=login, max_age): then a signed-in user sees the form too.
	const url = new URL(request.url)
	if (!url.searchParams.has('reauth')) await requireAnonymous(request, context)
	const { settings } = context.org
	const notice = url.searchParams.get('notice')
	return {
		orgName: displayNameOf(context.org.branding.document, context.org),
		signUpOpen: settings.signUpMode === 'open',
		methods: { password: settings.passwordSignIn, magicLink: settings.magicLinkSignIn, emailCode: settings.emailCodeSignIn, passkey: settings.passkeys },
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null,
	}
}

/** Messages other flows send people here with (`/login?notice=...`): fixed text, never from the URL. */
const NOTICES = {
	'password-reset': 'Your password was changed, and every device and app was signed out. Sign in with your new password.',
	'step-up': 'For your security, sign in again to continue.',
	'account-deleted': 'Your account was deleted.',
} as const

export async function action({ request, context }: ActionFunctionArgs) {
	if (!context.org.settings.passwordSignIn) throw data('Not found', { status: 404 })
	return signInWithPassword(request, context)
}

const secondaryLink =
	'inline-flex w-full items-center justify-center rounded-brand border border-input-border bg-surface px-4 py-2.5 text-sm font-semibold text-foreground hover:bg-background focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring'

export default function LoginPage() {
	const { signUpOpen, methods, notice } = useLoaderData<typeof loader>()
	const texts = useHostedLook()?.texts
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'login',
		constraint: getZodConstraint(LoginSchema),
		lastResult: actionData?.result,
		shouldValidate: 'onSubmit',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
	})
	const redirectTo = searchParams.get('redirectTo') ?? ''
	const carry = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''
	return (
		<AuthCard
			page="login"
			title={texts?.signInHeading ?? 'Sign in'}
			subtext={texts?.signInSubtext}
			footer={
				signUpOpen ? (
					<>
						New here?{' '}
						<Link className="text-link underline" to={redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : '/signup'}>
							Create an account
						</Link>
					</>
				) : null
			}
		>
			{/* A document POST, not a fetch: after signing in, the browser may continue into an OIDC
			    interaction whose cookie is scoped to /interaction/<uid> (a .data fetch would not carry it). */}
			{notice ? <Notice>{notice}</Notice> : null}
			{methods.password ? (
				<Form method="POST" reloadDocument className="flex flex-col gap-4" {...getFormProps(form)}>
					<FormError id={form.errorId} errors={form.errors} />
					<Field label="Email" inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: methods.passkey ? 'username webauthn' : 'username', autoFocus: true }} errors={fields.email.errors} />
					<Field label="Password" inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password' }} errors={fields.password.errors} />
					<Link className="-mt-2 self-end text-sm text-link underline" to="/forgot-password">
						Forgot password?
					</Link>
					<input type="hidden" name="redirectTo" value={redirectTo} />
					<Button type="submit" disabled={navigation.state === 'submitting'}>
						Sign in
					</Button>
				</Form>
			) : null}
			{methods.magicLink || methods.emailCode || methods.passkey ? (
				<nav aria-label="Other ways to sign in" className={`flex flex-col gap-2 ${methods.password ? 'mt-4 border-t border-border pt-4' : ''}`}>
					{/* Passkeys also appear in the email field's autofill (conditional UI) where the browser offers it. */}
					{methods.passkey ? <PasskeyButton mode="sign-in" redirectTo={redirectTo} autofill={methods.password} /> : null}
					{methods.magicLink ? (
						<Link className={secondaryLink} to={`/login/link${carry}`}>
							Email me a sign-in link
						</Link>
					) : null}
					{methods.emailCode ? (
						<Link className={secondaryLink} to={`/login/code${carry}`}>
							Email me a code
						</Link>
					) : null}
				</nav>
			) : null}
		</AuthCard>
	)
}
