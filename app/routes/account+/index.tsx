import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { GrantNotFoundError, listUserGrants, revokeUserGrant } from '../../modules/oidc/grants.server'
import { requireUser } from '../../modules/sessions/session.server'
import { readFormData } from '../../utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Your account · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user } = await requireUser(request, context)
	const grants = await listUserGrants(context.org.id, user.id)
	return {
		orgName: context.org.name,
		user: { email: user.email },
		// First-party apps are granted on the user's behalf; only apps they allowed are listed.
		connectedApps: grants.filter((grant) => !grant.firstParty),
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const { user } = await requireUser(request, context)
	const form = await readFormData(request)
	const grantId = form.get('grantId')
	if (form.get('intent') !== 'revoke-app' || typeof grantId !== 'string' || grantId.length > 200) throw data('Unknown action.', { status: 400 })
	try {
		await revokeUserGrant(context.org.id, user.id, grantId, { actorId: user.id, ip: context.ip, userAgent: context.userAgent })
	} catch (error) {
		if (error instanceof GrantNotFoundError) throw data('That app is not connected to your account.', { status: 404 })
		throw error
	}
	return { revoked: grantId }
}

export default function AccountPage() {
	const { orgName, user, connectedApps } = useLoaderData<typeof loader>()
	return (
		<AuthCard orgName={orgName} title="Your account">
			<dl className="mb-6 grid gap-1">
				<dt className="text-sm text-muted">Signed in as</dt>
				<dd className="font-medium break-all" data-testid="account-email">
					{user.email}
				</dd>
			</dl>
			{connectedApps.length ? (
				<section className="mb-6" aria-labelledby="connected-apps">
					<h2 id="connected-apps" className="mb-2 text-sm font-semibold">
						Apps you allowed
					</h2>
					<ul className="flex flex-col gap-2">
						{connectedApps.map((app) => (
							<li key={app.grantId} className="flex items-center justify-between gap-2 rounded-brand border border-border p-2 text-sm">
								<span>
									<span className="font-medium">{app.appName}</span>
									<span className="block text-xs text-muted">{app.scopes.join(', ')}</span>
								</span>
								<Form method="POST">
									<input type="hidden" name="grantId" value={app.grantId} />
									<button type="submit" name="intent" value="revoke-app" className="rounded-brand border border-border px-2 py-1 text-link underline" aria-label={`Revoke access for ${app.appName}`}>
										Revoke
									</button>
								</Form>
							</li>
						))}
					</ul>
				</section>
			) : null}
			<Form method="POST" action="/logout">
				<Button type="submit" variant="secondary">
					Sign out
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
