import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { NewPasswordField } from '../../components/password-strength'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { acceptAsAccount, acceptAsNewUser, isForNewUser, isLinkProblem, lookUpInvitation, signInProblem, wrongAccountProblem, type LinkProblem } from '../../modules/invitations/accept.server'
import { PASSWORD_MAX_BYTES } from '../../modules/passwords/policy'
import { getSessionUser } from '../../modules/sessions/session.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Invitation · ${data?.orgName ?? ''}` }]

// The URL holds a live token: never cached, never sent on as a Referer.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })

type Problem = Pick<LinkProblem, 'title' | 'message'> & { signInPath?: string }

/** Sign in, then back to this invitation. */
const signInPath = (token: string) => `/login?${new URLSearchParams({ redirectTo: `/invitations/accept?${new URLSearchParams({ token })}` })}`

function problemOf(found: LinkProblem, token: string): Problem {
	return { title: found.title, message: found.message, ...(found.signInAs ? { signInPath: signInPath(token) } : {}) }
}

/**
 * GET only reads: a mail scanner opening the link uses nothing. What the page offers depends on the
 * address: no account (or an unclaimed one) chooses a password; an account accepts only when this
 * browser is signed in as it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const { org } = context
	const common = { orgName: displayNameOf(org.branding.document, org), minLength: org.settings.passwordMinLength }
	const token = new URL(request.url).searchParams.get('token') ?? ''
	const found = await lookUpInvitation(org, token)
	if (isLinkProblem(found)) return data({ ...common, view: 'problem' as const, problem: problemOf(found, token) }, { status: found.status })
	const invited = { ...common, token, email: found.invitation.email, role: found.invitation.role }
	if (isForNewUser(found)) return { ...invited, view: 'new' as const }
	const current = await getSessionUser(request, context)
	if (!current) return { ...invited, view: 'sign-in' as const, problem: problemOf(signInProblem(found.invitation.email), token) }
	if (current.user.id !== found.account!.id) return { ...invited, view: 'wrong-account' as const, problem: problemOf(wrongAccountProblem(found.invitation.email, current.user.email), token) }
	return { ...invited, view: 'existing' as const }
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
	const { token } = parsed.data
	const found = await lookUpInvitation(context.org, token)
	if (isLinkProblem(found)) return data<ActionResult>({ problem: problemOf(found, token), passwordErrors: null }, { status: found.status })
	const outcome = isForNewUser(found)
		? await acceptAsNewUser(request, context, found, parsed.data.password ?? '')
		: await acceptAsAccount(context, found, (await getSessionUser(request, context))?.user ?? null)
	if (!outcome.ok) {
		if ('problem' in outcome) return data<ActionResult>({ problem: problemOf(outcome.problem, token), passwordErrors: null }, { status: outcome.problem.status })
		return data<ActionResult>({ problem: null, passwordErrors: outcome.passwordErrors }, { status: 400 })
	}
	throw redirect(outcome.next.redirectTo, { headers: setCookies(outcome.next.setCookies) })
}

function ProblemCard({ problem }: { problem: Problem }) {
	return (
		<AuthCard page="invitation" title={problem.title}>
			<p role="alert" className="text-sm">
				{problem.message}
			</p>
			<p className="mt-4 text-sm">
				<Link className="text-link underline" to={problem.signInPath ?? '/login'}>
					Go to sign in
				</Link>
			</p>
		</AuthCard>
	)
}

export default function AcceptInvitationPage() {
	const page = useLoaderData<typeof loader>()
	const actionData = useActionData<ActionResult>()
	const submitting = useNavigation().state === 'submitting'

	if (actionData?.problem) return <ProblemCard problem={actionData.problem} />
	if (page.view === 'problem') return <ProblemCard problem={page.problem} />

	const invited = (
		<p className="mb-4 text-sm">
			You were invited as <strong>{page.email}</strong> with the role <strong>{page.role}</strong>.
		</p>
	)

	if (page.view === 'sign-in' || page.view === 'wrong-account') {
		return (
			<AuthCard page="invitation" title={`Join ${page.orgName}`}>
				{invited}
				<p role="status" className="mb-4 text-sm">
					{page.problem.message}
				</p>
				{page.view === 'sign-in' ? (
					<Link className="text-link underline" to={page.problem.signInPath ?? '/login'}>
						Sign in as {page.email}
					</Link>
				) : (
					<Form method="POST" action="/logout" reloadDocument>
						<Button type="submit" variant="secondary">
							Sign out
						</Button>
					</Form>
				)}
			</AuthCard>
		)
	}

	return (
		<AuthCard page="invitation" title={`Join ${page.orgName}`}>
			{invited}
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
						<p className="text-sm text-muted">You are signed in as this address. Accept to take the invited role.</p>
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
