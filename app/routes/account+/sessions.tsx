import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { listUserSessions, revokeOwnSessions } from '../../modules/sessions/manage.server'
import { clearSessionCookieHeader, requireUser } from '../../modules/sessions/session.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sessions and devices · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user, session } = await requireUser(request, context)
	return { orgName: displayNameOf(context.org.branding.document, context.org), sessions: await listUserSessions(context, user.id, session.id) }
}

const SESSION_ID = /^[a-z0-9]{20,40}$/

/** Revoke one session (this one signs the browser out) or every other one. */
export async function action({ request, context }: ActionFunctionArgs) {
	const { user, session } = await requireUser(request, context)
	const form = await readFormData(request)
	const intent = form.get('intent')
	if (intent === 'revoke-others') {
		await revokeOwnSessions(context, { userId: user.id, currentSessionId: session.id, allButCurrent: true })
		throw redirect('/account/sessions')
	}
	const sessionId = form.get('sessionId')
	if (intent !== 'revoke' || typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) throw data('Unknown action.', { status: 400 })
	const ended = await revokeOwnSessions(context, { userId: user.id, currentSessionId: session.id, only: sessionId })
	if (ended === 0) throw data('That session is not one of yours, or it has already ended.', { status: 404 })
	if (sessionId === session.id) throw redirect('/login', { headers: { 'Set-Cookie': clearSessionCookieHeader(context) } })
	throw redirect('/account/sessions')
}

export default function SessionsPage() {
	const { sessions } = useLoaderData<typeof loader>()
	const others = sessions.filter((session) => !session.current).length
	return (
		<AuthCard
			page="account-sessions"
			title="Sessions and devices"
			footer={
				<Link className="text-link underline" to="/account">
					Back to your account
				</Link>
			}
		>
			<ul className="flex flex-col gap-2" aria-label="Signed-in sessions">
				{sessions.map((session) => (
					<li key={session.id} className="flex items-start justify-between gap-2 rounded-brand border border-border p-2 text-sm" data-testid="session">
						<span>
							<span className="font-medium">{session.device}</span>
							{session.current ? <span className="ml-2 rounded-brand bg-background px-1.5 py-0.5 text-xs">This device</span> : null}
							<span className="block text-xs text-muted">
								{session.ip ?? 'Unknown IP'} · signed in <time dateTime={session.createdAt}>{session.createdAt.slice(0, 16).replace('T', ' ')}</time> UTC · last seen{' '}
								<time dateTime={session.lastSeenAt}>{session.lastSeenAt.slice(0, 16).replace('T', ' ')}</time> UTC
							</span>
						</span>
						<Form method="POST">
							<input type="hidden" name="sessionId" value={session.id} />
							<button
								type="submit"
								name="intent"
								value="revoke"
								className="rounded-brand border border-border px-2 py-1 text-link underline"
								aria-label={session.current ? 'Sign out this device' : `Revoke ${session.device}`}
							>
								{session.current ? 'Sign out' : 'Revoke'}
							</button>
						</Form>
					</li>
				))}
			</ul>
			{others > 0 ? (
				<Form method="POST" className="mt-4">
					<Button type="submit" name="intent" value="revoke-others" variant="secondary" aria-describedby="revoke-others-hint">
						Sign out all other devices
					</Button>
					<p id="revoke-others-hint" className="mt-1 text-xs text-muted">
						Apps you signed in to with this account are signed out too.
					</p>
				</Form>
			) : null}
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
