import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { NewPasswordField } from '../../components/password-strength'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { acceptAsExistingUser, acceptAsNewUser, isLinkProblem, lookUpInvitation, type LinkProblem } from '../../modules/invitations/accept.server'
import { PASSWORD_MAX_BYTES } from '../../modules/passwords/policy'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { readFormData } from '../../utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Invitation · ${data?.orgName ?? ''}` }]

// The URL holds a live token: never cached, never sent on as a Referer.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })

type Problem = Pick<LinkProblem, 'title' | 'message'>

/** GET only reads: a mail scanner opening the link uses nothing. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const { org } = context
	const common = { orgName: org.name, minLength: org.settings.passwordMinLength }
	const token = new URL(request.url).searchParams.get('token')
	const found = await lookUpInvitation(org.id, token)
	if (isLinkProblem(found)) return data({ ...common, view: 'problem' as const, problem: { title: found.title, message: found.message } as Problem }, { status: found.status })
	return {
		...common,
		view: found.existingUser ? ('existing' as const) : ('new' as const),
		token: token ?? '',
		email: found.invitation.email,
		role: found.invitation.role,
	}
}

const acceptForm = z.object({
	token: z.string().max(200),
	// Bounded here so a huge body is refused before any hashing; the policy runs in the module.
	password: z.string().max(PASSWORD_MAX_BYTES * 4).optional(),
})

type ActionResult = { problem: Problem | null; passwordErrors: string[] | null }

export async function action({ request, context }: ActionFunctionArgs) {
	const parsed = acceptForm.safeParse(Object.fromEntries(await readFormData(request)))
	if (!parsed.success) return data<ActionResult>({ problem: { title: 'This form could not be read', message: 'Open the link from the email again.' }, passwordErrors: null }, { status: 400 })
	const found = await lookUpInvitation(context.org.id, parsed.data.token)
	if (isLinkProblem(found)) return data<ActionResult>({ problem: { title: found.title, message: found.message }, passwordErrors: null }, { status: found.status })
	const outcome = found.existingUser
		? await acceptAsExistingUser(context, { ...found, existingUser: found.existingUser })
		: await acceptAsNewUser(request, context, found, parsed.data.password ?? '')
	if (!outcome.ok) {
		if ('problem' in outcome) return data<ActionResult>({ problem: { title: outcome.problem.title, message: outcome.problem.message }, passwordErrors: null }, { status: outcome.problem.status })
		return data<ActionResult>({ problem: null, passwordErrors: outcome.passwordErrors }, { status: 400 })
	}
	throw redirect(outcome.next.redirectTo, { headers: setCookies(outcome.next.setCookies) })
}

export default function AcceptInvitationPage() {
	const page = useLoaderData<typeof loader>()
	const actionData = useActionData<ActionResult>()
	const submitting = useNavigation().state === 'submitting'
	const problem = actionData?.problem ?? (page.view === 'problem' ? page.problem : null)

	if (problem || page.view === 'problem') {
		return (
			<AuthCard orgName={page.orgName} title={problem?.title ?? "This link can't be used"}>
				<p role="alert" className="text-sm">
					{problem?.message}
				</p>
				<p className="mt-4 text-sm">
					<Link className="text-link underline" to="/login">
						Go to sign in
					</Link>
				</p>
			</AuthCard>
		)
	}

	return (
		<AuthCard orgName={page.orgName} title={`Join ${page.orgName}`}>
			<p className="mb-4 text-sm">
				You were invited as <strong>{page.email}</strong> with the role <strong>{page.role}</strong>.
			</p>
			<Form method="POST" reloadDocument className="flex flex-col gap-4">
				<input type="hidden" name="token" value={page.token} />
				{page.view === 'new' ? (
					<>
						<NewPasswordField
							label="Password"
							hint={`Choose a password: at least ${page.minLength} characters. A few unrelated words make a strong password.`}
							inputProps={{ name: 'password', required: true, autoFocus: true, 'aria-invalid': actionData?.passwordErrors ? true : undefined }}
							errors={actionData?.passwordErrors ?? undefined}
							minLength={page.minLength}
							userInputs={[page.email, page.orgName]}
						/>
						<Button type="submit" disabled={submitting}>
							Create account
						</Button>
					</>
				) : (
					<>
						<p className="text-sm text-muted">This address already has an account here. Accept to take the invited role, then sign in as usual.</p>
						<Button type="submit" disabled={submitting}>
							Accept invitation
						</Button>
					</>
				)}
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
