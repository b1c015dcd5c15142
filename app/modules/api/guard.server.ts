import { type RequestContext } from '../../context'
import { authenticateApiKey } from '../apikeys/keys.server'
import { permissionsToWords } from '../apikeys/schema'
import { hasPermission, type Permissions } from '../permissions/statements'
import { ApiError } from './errors'
import { assertIpNotBlocked, consumeKeyRequest, recordAuthFailure } from './rate-limit.server'

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i

/**
 * The one guard of the Management API. Only an `Authorization: Bearer` API key gets in, never a
 * browser's session cookie: that is what makes the API safe to exempt from the same-origin
 * check. A key works only on its own org's hosts; one that lacks a statement gets 403.
 */
export async function requireApiKey(request: Request, context: Pick<RequestContext, 'org' | 'ip'>, required: Permissions) {
	await assertIpNotBlocked(context.ip)
	const header = request.headers.get('authorization')
	const token = header ? BEARER.exec(header)?.[1] : undefined
	const key = token ? await authenticateApiKey(token, context.org.id) : null
	if (!key) {
		await recordAuthFailure(context.ip)
		throw new ApiError('unauthorized', token ? 'This API key is not valid for this organization (unknown, revoked, or of another organization).' : 'Send an API key: Authorization: Bearer <key>.')
	}
	await consumeKeyRequest(key.id)
	if (!hasPermission(key.statements, required)) {
		throw new ApiError('forbidden', `This API key lacks ${permissionsToWords(required).join(', ')}.`)
	}
	return key
}
