import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { changeKeysFromForm, loadKeysPage } from '../admin+/api-keys.server'
import { ApiKeysPage } from '../../components/api-keys-page'

export const meta: MetaFunction = () => [{ title: 'Platform API keys · Operator' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	return loadKeysPage(request, context, 'operator')
}

export async function action({ request, context }: ActionFunctionArgs) {
	return changeKeysFromForm(request, context, 'operator')
}

export default ApiKeysPage

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
