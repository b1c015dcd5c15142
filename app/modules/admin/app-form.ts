import { z } from 'zod'
import { appInputSchema, type AppType } from '../apps/schema'

/**
 * The app form as the browser sends it. URI lists are textareas, one URI a line; the
 * checkbox is present ('on') or absent. Validation itself is the shared appInputSchema, so
 * the form, the CLI and the module agree on what a valid app is.
 *
 * Client-safe (no server imports): the route uses it for quick feedback in the browser too.
 */
export type AppFormFields = {
	name: string
	type: AppType
	redirectUris: string
	postLogoutRedirectUris: string
	firstParty: boolean
}

/** What a valid submission parses to: the module's input shape. */
export type AppFormValue = z.output<typeof appInputSchema>

function lines(value: unknown): unknown {
	if (typeof value !== 'string') return value
	return value
		.split(/\r\n|\r|\n/)
		.map((line) => line.trim())
		.filter((line) => line.length > 0)
}

/**
 * appInputSchema behind a step that turns textarea text into URI arrays. Editing passes the
 * app's stored type: the type is fixed at creation, so a posted `type` is ignored there.
 */
export function appFormSchema(fixedType?: AppType) {
	return z.preprocess((value) => {
		if (typeof value !== 'object' || value === null) return value
		const form = value as Record<string, unknown>
		return {
			...form,
			...(fixedType ? { type: fixedType } : {}),
			redirectUris: lines(form.redirectUris),
			postLogoutRedirectUris: lines(form.postLogoutRedirectUris),
		}
	}, appInputSchema)
}
