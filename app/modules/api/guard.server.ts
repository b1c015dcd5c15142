import { type RequestContext } from '../../context'
import { authenticateApiKey, type ApiKeyRefusal } from '../apikeys/keys.server'
import { permissionsToWords } from '../apikeys/schema'
import { hasPermission, type Permissions } from '../permissions/statements'
import { ApiError } from './errors'
import { assertIpNotBlocked, consumeKeyRequest, recordAuthFailure } from './rate-limit.server'

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i

/** Only the key's holder reads this (they sent the key), so saying why is no leak. */
function refusalMessage(refusal: ApiKeyRefusal): string {
	switch (refusal.reason) {
		case 'unknown':
			return 'This API key is not valid for this organization (unknown, revoked, or of another organization).'
		case 'expired':
			return `This API key expired on ${refusal.expiresAt.toISOString()}: create a new one.`
		case 'creator_disabled':
			return 'This API key does not work while the user who created it is disabled.'
		case 'creator_deleted':
			return 'This API key stopped working: the user who created it was deleted.'
	}
}

/**
 * The one guard of the Management API. Only an `Authorization: Bearer` API key gets in, never a
 * browser's session cookie: that is what makes the API safe to exempt from the same-origin
 * check. A key works only on its own org's hosts, until it expires, and a user's key only while
 * its creator is enabled; one that lacks a statement (or whose creator no longer holds it) gets 403.
 */
export async function requireApiKey(request: Request, context: Pick<RequestContext, 'org' | 'ip'>, required: Permissions) {
	await assertIpNotBlocked(context.ip)
	const header = request.headers.get('authorization')
	const token = header ? BEARER.exec(header)?.[1] : undefined
	const result = token ? await authenticateApiKey(token, context.org.id) : null
	if (!result || 'refused' in result) {
		await recordAuthFailure(context.ip)
		throw new ApiError('unauthorized', result ? refusalMessage(result.refused) : 'Send an API key: Authorization: Bearer <key>.')
	}
	const { key } = result
	await consumeKeyRequest(key.id)
	if (!hasPermission(key.statements, required)) {
		const lacking = permissionsToWords(required).join(', ')
		const creatorLacks = hasPermission(key.keyStatements, required)
		throw new ApiError('forbidden', creatorLacks ? `This API key lacks ${lacking} now: the key holds it, but the user who created it no longer does.` : `This API key lacks ${lacking}.`)
	}
	return key
}
