import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { SettingsForm } from '../../components/settings-form'
import { ConsoleNotice } from '../../components/ui/data-table'
import { loadPlatformDefaultsPage, savePlatformDefaultsForm } from '../admin+/settings.server'

export const meta: MetaFunction = () => [{ title: 'Defaults · Operator' }]

/** org: ['update'] to view and to save (routes/admin+/settings.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return loadPlatformDefaultsPage(request, context)
}

export async function action({ request, context }: ActionFunctionArgs) {
	return savePlatformDefaultsForm(request, context)
}

export default function DefaultsPage() {
	const { overrides, inherited, saved } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div className="flex flex-col gap-6">
			<div>
				<h1 className="text-2xl font-semibold">Defaults</h1>
				<p className="mt-1 text-sm text-muted">The sign-in settings every organization starts from. An organization&apos;s own settings override these; what neither sets uses Foyer&apos;s built-in default, shown in brackets.</p>
			</div>
			{saved && !actionData ? (
				<ConsoleNotice>Defaults saved. Every organization that does not override a setting follows them now.</ConsoleNotice>
			) : null}
			<SettingsForm id="platform-defaults" overrides={overrides} inherited={inherited} defaultName="built-in default" lastResult={actionData?.result} />
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
