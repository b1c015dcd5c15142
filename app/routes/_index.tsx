import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { getSessionUser } from '../modules/sessions/session.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
	throw redirect((await getSessionUser(request, context)) ? '/account' : '/login')
}
