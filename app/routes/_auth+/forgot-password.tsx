import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { EmailRequestForm } from '../../components/email-request-form'
import { sendPasswordReset } from '../../modules/verification/flows.server'
import { LINK_TTL_MINUTES } from '../../modules/verification/verification.server'
import { handleEmailRequest, requireMethod } from './email-request.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Reset your password · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

export async function loader({ context }: LoaderFunctionArgs) {
	requireMethod(context.org.settings.passwordSignIn)
	return { orgName: displayNameOf(context.org.branding.document, context.org) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	requireMethod(context.org.settings.passwordSignIn)
	return handleEmailRequest(request, context, (email) => sendPasswordReset(context, email))
}

export default function ForgotPasswordPage() {
	return (
		<EmailRequestForm
			page="forgot-password"
			title="Reset your password"
			intro="Enter your account's email address and we'll send you a link to choose a new password."
			button="Send reset link"
			sent={(email) => `If ${email} has an account here, we sent it a link to reset the password. It works once, for ${LINK_TTL_MINUTES} minutes.`}
		/>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
