import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { SettingsForm } from '../../components/settings-form'
import { ConsoleNotice } from '../../components/ui/data-table'
import { loadOrgSettingsPage, saveOrgSettingsForm } from './settings.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sign-in settings · ${data?.orgName ?? ''}` }]

/** settings: ['read'] to view (routes/admin+/settings.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return loadOrgSettingsPage(request, context)
}

/** settings: ['update'] to save. */
export async function action({ request, context }: ActionFunctionArgs) {
	return saveOrgSettingsForm(request, context)
}

export default function OrgSettingsPage() {
	const { orgName, overrides, inherited, canUpdate, saved, sender, senderHint, unusedSender } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div className="flex flex-col gap-6">
			<div>
				<h1 className="text-2xl font-semibold">Sign-in settings</h1>
				<p className="mt-1 text-sm text-muted">How people sign up and sign in here. A setting left on the platform default follows the operator&apos;s choice, shown in brackets.</p>
			</div>
			{saved && !actionData ? (
				<ConsoleNotice>Settings saved. The sign-in pages use them from now on.</ConsoleNotice>
			) : null}
			{unusedSender ? (
				<p role="status" className="rounded-brand border border-border bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
					{`${unusedSender} is not on a sender domain allowed for ${orgName} any more: email goes from ${sender.platformSender} until an operator allows its domain again or you choose another address.`}
				</p>
			) : null}
			<SettingsForm
				id="org-settings"
				overrides={overrides}
				inherited={inherited}
				defaultName="platform default"
				lastResult={actionData?.result}
				disabled={!canUpdate}
				sender={sender}
				extraHints={{ emailSenderAddress: senderHint }}
			/>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
