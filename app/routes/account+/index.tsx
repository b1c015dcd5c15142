import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { requireUser } from '../../modules/sessions/session.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Your account · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user, session } = await requireUser(request, context)
	return {
		orgName: context.org.name,
		user: { email: user.email, createdAt: user.createdAt.toISOString() },
		session: { createdAt: session.createdAt.toISOString() },
	}
}

export default function AccountPage() {
	const { orgName, user } = useLoaderData<typeof loader>()
	return (
		<AuthCard orgName={orgName} title="Your account">
			<dl className="mb-6 grid gap-1">
				<dt className="text-sm text-muted">Signed in as</dt>
				<dd className="font-medium break-all" data-testid="account-email">
					{user.email}
				</dd>
			</dl>
			<Form method="POST" action="/logout">
				<Button type="submit" variant="secondary">
					Sign out
				</Button>
			</Form>
		</AuthCard>
	)
}

export function ErrorBoundary() {
	return (
		<main className="mx-auto max-w-md px-4 py-16">
			<GeneralErrorBoundary />
		</main>
	)
}
