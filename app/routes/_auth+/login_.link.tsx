import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { EmailRequestForm } from '../../components/email-request-form'
import { requireAnonymous } from '../../modules/sessions/session.server'
import { sendSignInLink } from '../../modules/verification/flows.server'
import { LINK_TTL_MINUTES } from '../../modules/verification/verification.server'
import { handleEmailRequest, requireMethod } from './email-request.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Email me a sign-in link · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

export async function loader({ request, context }: LoaderFunctionArgs) {
	requireMethod(context.org.settings.magicLinkSignIn)
	await requireAnonymous(request, context)
	return { orgName: displayNameOf(context.org.branding.document, context.org) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	requireMethod(context.org.settings.magicLinkSignIn)
	return handleEmailRequest(request, context, (email, redirectTo) => sendSignInLink(context, email, redirectTo))
}

export default function MagicLinkRequestPage() {
	return (
		<EmailRequestForm
			page="login-link"
			title="Email me a sign-in link"
			intro="We'll email you a link that signs you in. No password needed."
			button="Send sign-in link"
			sent={(email) => `If ${email} has an account here, we sent it a sign-in link. It works once, for ${LINK_TTL_MINUTES} minutes.`}
		/>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
