import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'

/** /operator opens on the organizations. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOperatorPermission(request, context, {})
	throw redirect('/operator/orgs')
}

/** A UI route so a thrown 403 reaches the layout's error page (see admin+/index.tsx). */
export default function OperatorIndex() {
	return null
}
