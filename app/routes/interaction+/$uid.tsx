import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { scopeText } from '../../components/scope-text'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { advanceInteraction, denyConsent, grantConsent, loadInteraction } from '../../modules/oidc/interactions.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Allow access · ${data?.orgName ?? ''}` }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	const loaded = await loadInteraction(params.uid ?? '', context)
	const consent = await advanceInteraction(request, loaded, context)
	return { orgName: displayNameOf(context.org.branding.document, context.org), appName: loaded.app.name, email: consent.user.email, scopes: consent.scopes }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	const loaded = await loadInteraction(params.uid ?? '', context)
	const form = await readFormData(request)
	const consent = await advanceInteraction(request, loaded, context)
	const intent = form.get('intent')
	if (intent === 'allow') return grantConsent(loaded, context, consent.user.id)
	if (intent === 'deny') return denyConsent(loaded, context)
	throw data('Choose Allow or Deny.', { status: 400 })
}

export default function ConsentPage() {
	const { orgName, appName, email, scopes } = useLoaderData<typeof loader>()
	return (
		<AuthCard page="consent" title={`${appName} wants to access your ${orgName} account`}>
			<p className="mb-3 text-sm text-muted">
				Signed in as <span className="font-medium text-foreground">{email}</span>
			</p>
			<ul className="mb-6 list-disc pl-5 text-sm" aria-label="Requested access">
				{scopes.map((scope) => (
					<li key={scope}>{scopeText(scope)}</li>
				))}
			</ul>
			{/* A document POST: the answer redirects through /oidc/auth to the app. */}
			<Form method="POST" reloadDocument className="flex flex-col gap-2">
				<Button type="submit" name="intent" value="allow">
					Allow
				</Button>
				<Button type="submit" name="intent" value="deny" variant="secondary">
					Deny
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
