import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { EmailRequestForm } from '../../components/email-request-form'
import { requireAnonymous } from '../../modules/sessions/session.server'
import { codePagePath, sendSignInCode } from '../../modules/verification/flows.server'
import { handleEmailRequest, requireMethod } from './email-request.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Email me a code · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

export async function loader({ request, context }: LoaderFunctionArgs) {
	requireMethod(context.org.settings.emailCodeSignIn)
	await requireAnonymous(request, context)
	return { orgName: displayNameOf(context.org.branding.document, context.org) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	requireMethod(context.org.settings.emailCodeSignIn)
	return handleEmailRequest(request, context, async (email, redirectTo) => {
		await sendSignInCode(context, email)
		return redirect(codePagePath('sign-in-code', email, redirectTo))
	})
}

export default function EmailCodeRequestPage() {
	return (
		<EmailRequestForm
			page="login-code"
			title="Email me a code"
			intro="We'll email you a 6-digit code that signs you in."
			button="Send code"
			sent={(email) => `If ${email} has an account here, we sent it a code.`}
		/>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
