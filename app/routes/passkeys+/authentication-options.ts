import { type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { authenticationOptions } from '../../modules/passkeys/authentication.server'
import { readJson, requirePasskeysJson } from '../../modules/passkeys/http.server'
import { SignInModeSchema } from '../../modules/passkeys/schema'

const BodySchema = z.object({ mode: SignInModeSchema, redirectTo: z.string().max(2048).optional() })

/**
 * POST /passkeys/authentication-options `{ mode: 'sign-in' | 'second-factor', redirectTo? }` →
 * `{ options }` for startAuthentication(), and the challenge cookie. `sign-in`: anyone, no
 * credentials listed (discoverable). `second-factor`: the pending sign-in or signed-in user's
 * passkeys on this host; 401 `{ redirectTo: '/login' }` without one.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	requirePasskeysJson(context)
	const body = await readJson(request, BodySchema)
	return authenticationOptions(request, context, body.mode, body.redirectTo)
}
