import { config } from '../../../utils/config.server'
import { encrypt } from '../../../utils/crypto.server'
import { db } from '../../../utils/db.server'
import { recordAuditEvent } from '../../audit/audit.server'
import { AUTH_HEADER_PURPOSE } from './provider.server'
import { outboundUrlProblem } from './target.server'
import { DEFAULT_CONTENT_TYPE, defaultBodyTemplate, templateProblem } from './template'

/**
 * An org's SMS gateway settings (the CLI's `foyer sms set|show|clear`). The Authorization header is
 * encrypted at rest and never read back out: `show` says only whether one is set. Every change is
 * audited as `org.sms_provider_changed` in the same transaction.
 */
export type SmsGatewayInput = { url: string; authHeader?: string; bodyTemplate?: string; contentType?: string }

export type SmsGatewayView = { url: string; hasAuthHeader: boolean; bodyTemplate: string; contentType: string; updatedAt: Date }

/** A setting the operator can correct; the message names what is wrong. */
export class SmsGatewayError extends Error {}

type Actor = { actorId: string | null }

export async function setSmsGateway(organizationId: string, input: SmsGatewayInput, actor: Actor): Promise<SmsGatewayView> {
	const { env, secrets } = config()
	const urlProblem = input.url.length > 2048 ? 'is longer than 2048 characters' : outboundUrlProblem(input.url, env.FOYER_ALLOW_PRIVATE_URLS ?? false)
	if (urlProblem) throw new SmsGatewayError(`--url ${urlProblem}`)
	const contentType = input.contentType?.trim() || DEFAULT_CONTENT_TYPE
	if (!/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/.test(contentType) || contentType.length > 200) {
		throw new SmsGatewayError('--content-type must be a media type, e.g. application/json or application/x-www-form-urlencoded')
	}
	const bodyTemplate = input.bodyTemplate ?? defaultBodyTemplate(contentType)
	const problem = templateProblem(bodyTemplate, contentType)
	if (problem) throw new SmsGatewayError(`--body-template: ${problem}`)
	if (input.authHeader !== undefined && (input.authHeader.length === 0 || input.authHeader.length > 4096 || /[\r\n\0]/.test(input.authHeader))) {
		throw new SmsGatewayError('--auth-header must be one line of at most 4096 characters')
	}
	// Without --auth-header the header already stored stays: changing the URL need not re-enter a secret.
	const authHeaderEncrypted = input.authHeader === undefined ? undefined : encrypt(input.authHeader, secrets.secretKey, AUTH_HEADER_PURPOSE)
	const row = await db().$transaction(async (tx) => {
		const saved = await tx.smsProvider.upsert({
			where: { organizationId },
			create: { organizationId, url: input.url, bodyTemplate, contentType, authHeaderEncrypted: authHeaderEncrypted ?? null },
			update: { url: input.url, bodyTemplate, contentType, ...(authHeaderEncrypted === undefined ? {} : { authHeaderEncrypted }) },
		})
		await recordAuditEvent(tx, {
			organizationId,
			actorId: actor.actorId,
			type: 'org.sms_provider_changed',
			targetType: 'organization',
			targetId: organizationId,
			data: { action: 'set', url: saved.url, contentType, authHeaderChanged: input.authHeader !== undefined },
		})
		return saved
	})
	return view(row)
}

export async function getSmsGateway(organizationId: string): Promise<SmsGatewayView | null> {
	const row = await db().smsProvider.findUnique({ where: { organizationId } })
	return row ? view(row) : null
}

/** Back to the dev outbox. Returns whether there was a gateway to remove. */
export async function clearSmsGateway(organizationId: string, actor: Actor): Promise<boolean> {
	return db().$transaction(async (tx) => {
		const { count } = await tx.smsProvider.deleteMany({ where: { organizationId } })
		if (count === 0) return false
		await recordAuditEvent(tx, { organizationId, actorId: actor.actorId, type: 'org.sms_provider_changed', targetType: 'organization', targetId: organizationId, data: { action: 'clear' } })
		return true
	})
}

function view(row: { url: string; authHeaderEncrypted: string | null; bodyTemplate: string; contentType: string; updatedAt: Date }): SmsGatewayView {
	return { url: row.url, hasAuthHeader: row.authHeaderEncrypted !== null, bodyTemplate: row.bodyTemplate, contentType: row.contentType, updatedAt: row.updatedAt }
}
