import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { changeKeysFromForm, loadKeysPage } from './api-keys.server'
import { ApiKeysPage } from '../../components/api-keys-page'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `API keys · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	return loadKeysPage(request, context, 'admin')
}

export async function action({ request, context }: ActionFunctionArgs) {
	return changeKeysFromForm(request, context, 'admin')
}

export default ApiKeysPage

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
