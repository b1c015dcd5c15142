import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { useHostedLook } from '../../components/hosted-look'
import { AuthCard } from '../../components/ui/card'
import { NewPasswordField } from '../../components/password-strength'
import { Field, FormError } from '../../components/ui/field'
import { requireAnonymous } from '../../modules/sessions/session.server'
import { signupSchema } from './signup.schema'
import { signUp } from './signup.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Create account · ${data?.orgName ?? ''}` }]

function requireSignUpOpen(context: LoaderFunctionArgs['context']) {
	if (context.org.settings.signUpMode !== 'open') throw data('Sign-up is not open for this organization.', { status: 404 })
}

export async function loader({ request, context }: LoaderFunctionArgs) {
	requireSignUpOpen(context)
	await requireAnonymous(request, context)
	return { orgName: displayNameOf(context.org.branding.document, context.org), minLength: context.org.settings.passwordMinLength, withPassword: context.org.settings.passwordSignIn }
}

export async function action({ request, context }: ActionFunctionArgs) {
	requireSignUpOpen(context)
	return signUp(request, context)
}

export default function SignupPage() {
	const { orgName, minLength, withPassword } = useLoaderData<typeof loader>()
	const heading = useHostedLook()?.texts.signUpHeading ?? 'Create your account'
	const actionData = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const navigation = useNavigation()
	const schema = signupSchema(minLength, withPassword)
	const [form, fields] = useForm({
		id: 'signup',
		constraint: getZodConstraint(schema),
		lastResult: actionData?.result,
		shouldValidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
	})
	const redirectTo = searchParams.get('redirectTo') ?? ''
	return (
		<AuthCard
			page="signup"
			title={heading}
			footer={
				<>
					Already have an account?{' '}
					<Link className="text-link underline" to={redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : '/login'}>
						Sign in
					</Link>
				</>
			}
		>
			<Form method="POST" reloadDocument className="flex flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Email" inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email', autoFocus: true }} errors={fields.email.errors} />
				{withPassword ? (
					<NewPasswordField
						hint={`At least ${minLength} characters. A few unrelated words make a strong password.`}
						inputProps={getInputProps(fields.password, { type: 'password' })}
						errors={fields.password.errors}
						minLength={minLength}
						userInputs={[fields.email.value, orgName]}
					/>
				) : null}
				<input type="hidden" name="redirectTo" value={redirectTo} />
				<Button type="submit" disabled={navigation.state === 'submitting'}>
					Create account
				</Button>
			</Form>
		</AuthCard>
	)
}
