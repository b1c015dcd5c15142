import { type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { verifyAuthentication } from '../../modules/passkeys/authentication.server'
import { readJson, requirePasskeysJson } from '../../modules/passkeys/http.server'
import { AuthenticationResponseSchema, SignInModeSchema } from '../../modules/passkeys/schema'

const BodySchema = z.object({ mode: SignInModeSchema, response: AuthenticationResponseSchema, redirectTo: z.string().max(2048).optional() })

/**
 * POST /passkeys/authentication `{ mode, response, redirectTo? }` (JSON) → 200 `{ redirectTo }`
 * with the session cookies; 400 `{ error }` when it does
 * not verify; 429 with Retry-After when throttled; 401 for a second factor with nobody to prove.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	requirePasskeysJson(context)
	const body = await readJson(request, BodySchema)
	return verifyAuthentication(request, context, body)
}
