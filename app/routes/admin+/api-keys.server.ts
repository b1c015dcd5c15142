import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { z } from 'zod'
import { type RequestContext } from '../../context'
import { readFormData } from '../../utils/forms.server'
import { assertPermission, requireOperatorPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission, type Permissions } from '../../modules/permissions/statements'
import { ApiKeyNotFoundError, ApiKeyStatementError, createApiKey, listApiKeys, revokeApiKey } from '../../modules/apikeys/keys.server'
import { apiKeyInputSchema, statementWordsFor, wordsToPermissions } from '../../modules/apikeys/schema'

/**
 * The API keys page, shared by /admin/api-keys (the org's keys) and /operator/api-keys (platform
 * keys: the operator org's, the only ones that may hold `org` statements). The console decides
 * which guard runs; everything after it is the same.
 */
export type KeysConsole = 'admin' | 'operator'
type Context = Pick<RequestContext, 'org' | 'secure' | 'ip' | 'userAgent'>

const guardFor = (console: KeysConsole) => (console === 'operator' ? requireOperatorPermission : requireOrgPermission)
export const pathFor = (console: KeysConsole) => `/${console}/api-keys`

export const NO_SUCH_KEY = 'No such API key in this organization.'

/** The statements this person may put on a key: what their role holds, of what keys here may hold. */
function grantable(isOperator: boolean, permissions: Permissions) {
	return statementWordsFor(isOperator).filter((word) => hasPermission(permissions, wordsToPermissions([word])))
}

export async function loadKeysPage(request: Request, context: Context, console: KeysConsole) {
	const { permissions } = await guardFor(console)(request, context, { apiKey: ['read'] })
	return {
		orgName: context.org.name,
		console,
		canCreate: hasPermission(permissions, { apiKey: ['create'] }),
		canRevoke: hasPermission(permissions, { apiKey: ['delete'] }),
		grantable: grantable(context.org.isOperator, permissions),
		revoked: new URL(request.url).searchParams.has('revoked'),
		keys: await listApiKeys(context.org.id),
	}
}

const revokeSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, NO_SUCH_KEY) })

/** Create and revoke, told apart by `intent`; each checks its own statement before reading further. */
export async function changeKeysFromForm(request: Request, context: Context, console: KeysConsole) {
	const { user, permissions } = await guardFor(console)(request, context, { apiKey: ['read'] })
	const formData = await readFormData(request)
	const intent = formData.get('intent')
	const audit = { actorId: user.id, ip: context.ip, userAgent: context.userAgent }

	if (intent === 'create') {
		assertPermission(permissions, { apiKey: ['create'] })
		const submission = parseWithZod(formData, { schema: apiKeyInputSchema })
		if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
		try {
			const { key, apiKey } = await createApiKey(context.org, submission.value, { kind: 'user', userId: user.id, permissions }, audit)
			// The key travels in this one response and is rendered from it: never stored, never in a URL.
			return data({ result: submission.reply({ resetForm: true }), created: { key, name: apiKey.name, prefix: apiKey.prefix, expiresAt: apiKey.expiresAt } }, { status: 201 })
		} catch (error) {
			if (error instanceof ApiKeyStatementError) return data({ result: submission.reply({ fieldErrors: { statements: [error.message] } }), created: null }, { status: 400 })
			throw error
		}
	}

	if (intent === 'revoke') {
		assertPermission(permissions, { apiKey: ['delete'] })
		const parsed = revokeSchema.safeParse({ id: formData.get('id') })
		if (!parsed.success) throw data(NO_SUCH_KEY, { status: 404 })
		try {
			await revokeApiKey(context.org.id, parsed.data.id, audit)
		} catch (error) {
			if (error instanceof ApiKeyNotFoundError) throw data(NO_SUCH_KEY, { status: 404 })
			throw error
		}
		throw redirect(`${pathFor(console)}?revoked=1`)
	}

	throw data('That action is not available here.', { status: 400 })
}
