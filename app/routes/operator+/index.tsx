import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { requireOperator } from '../../modules/operator/guard.server'

/** /operator has one area so far: the dev outbox. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOperator(request, context)
	throw redirect('/operator/outbox')
}

/** A UI route so a thrown 403 reaches the layout's error page (see admin+/index.tsx). */
export default function OperatorIndex() {
	return null
}
