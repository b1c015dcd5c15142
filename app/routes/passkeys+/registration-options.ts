import { type ActionFunctionArgs } from '@remix-run/node'
import { requirePasskeysJson } from '../../modules/passkeys/http.server'
import { registrationOptions, requireRegistrant } from '../../modules/passkeys/registration.server'

/**
 * POST /passkeys/registration-options (no body) → `{ options }` for startRegistration(), and the
 * challenge cookie. Signed in (a user made to set up MFA may), recently: 401/403 `{ error, redirectTo }`.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	requirePasskeysJson(context)
	const current = await requireRegistrant(request, context)
	return registrationOptions(request, context, current)
}
