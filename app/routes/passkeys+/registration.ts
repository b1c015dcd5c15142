import { type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { readJson, requirePasskeysJson } from '../../modules/passkeys/http.server'
import { verifyRegistration, requireRegistrant } from '../../modules/passkeys/registration.server'
import { PasskeyNameSchema, RegistrationResponseSchema } from '../../modules/passkeys/schema'

const BodySchema = z.object({
	response: RegistrationResponseSchema,
	name: PasskeyNameSchema.optional().or(z.literal('')),
	redirectTo: z.string().max(2048).optional(),
})

/**
 * POST /passkeys/registration `{ response, name?, redirectTo? }` (JSON) → 200 `{ passkey: { id,
 * name }, redirectTo }`, with a rotated aal2 session when the session was aal1; 400 when the
 * challenge is spent or the response does not verify; 409 for a passkey already registered.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	requirePasskeysJson(context)
	const current = await requireRegistrant(request, context)
	const body = await readJson(request, BodySchema)
	return verifyRegistration(request, context, current, { ...body, name: body.name || undefined })
}
