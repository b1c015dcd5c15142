import { type ActionFunctionArgs } from '@remix-run/node'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { guardJson, requirePasskeysJson } from '../../modules/passkeys/http.server'
import { PASSKEYS_PAGE, registrationOptions } from '../../modules/passkeys/registration.server'
import { requireUser } from '../../modules/sessions/session.server'

/**
 * POST /passkeys/registration-options (no body) → `{ options }` for startRegistration(), and the
 * challenge cookie. Signed in (a user made to set up MFA may), recently: 401/403 `{ error, redirectTo }`.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	requirePasskeysJson(context)
	const current = await guardJson(PASSKEYS_PAGE, async () => {
		const current = await requireUser(request, context, { allowMfaSetup: true })
		await requireRecentAuthentication(request, context, current, PASSKEYS_PAGE)
		return current
	})
	return registrationOptions(request, context, current)
}
