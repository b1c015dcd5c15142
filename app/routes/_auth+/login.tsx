import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { requireAnonymous } from '../../modules/sessions/session.server'
import { LoginSchema } from './login.schema'
import { signInWithPassword } from './login.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sign in · ${data?.orgName ?? ''}` }]

/** Document responses take their headers from here: a throttled sign-in says when to retry. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
	const retryAfter = actionHeaders.get('Retry-After')
	return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function loader({ request, context }: LoaderFunctionArgs) {
	// An app may demand a fresh sign-in (prompt=login, max_age): then a signed-in user sees the form too.
	if (!new URL(request.url).searchParams.has('reauth')) await requireAnonymous(request, context)
	return { orgName: context.org.name, signUpOpen: context.org.settings.signUpMode === 'open' }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return signInWithPassword(request, context)
}

export default function LoginPage() {
	const { orgName, signUpOpen } = useLoaderData<typeof loader>()
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
	return (
		<AuthCard
			orgName={orgName}
			title="Sign in"
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
			<Form method="POST" reloadDocument className="flex flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Email" inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'username', autoFocus: true }} errors={fields.email.errors} />
				<Field label="Password" inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password' }} errors={fields.password.errors} />
				<input type="hidden" name="redirectTo" value={redirectTo} />
				<Button type="submit" disabled={navigation.state === 'submitting'}>
					Sign in
				</Button>
			</Form>
		</AuthCard>
	)
}
