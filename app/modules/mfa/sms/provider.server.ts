import http from 'node:http'
import https from 'node:https'
import { type SmsProvider as SmsProviderRow } from '../../../generated/prisma/client'
import { config } from '../../../utils/config.server'
import { decrypt } from '../../../utils/crypto.server'
import { db } from '../../../utils/db.server'
import { logger } from '../../../utils/logger.server'
import { originFor } from '../../orgs/hosts'
import { outboundUrlProblem, publicOnlyLookup } from './target.server'
import { renderSmsTemplate } from './template'

/** Where a text message goes. `send` resolves once the message is accepted, and throws otherwise. */
export type SmsProvider = { send(message: SmsMessage): Promise<void> }

/** `code`, when the text carries one, fills a template's `{{code}}` (gateways that word their own text). */
export type SmsMessage = { to: string; body: string; code?: string }

/** A message the gateway did not take. The message is for logs; users get a generic sentence. */
export class SmsDeliveryError extends Error {}

export const SMS_TIMEOUT_MS = 10_000
const RESPONSE_LOG_CHARS = 300

export const AUTH_HEADER_PURPOSE = 'sms-auth-header'

/** The org's HTTP gateway when it has one, else the dev outbox. */
export async function smsProviderFor(org: { id: string }): Promise<SmsProvider> {
	const row = await db().smsProvider.findUnique({ where: { organizationId: org.id } })
	return row ? httpSmsProvider(row) : devOutboxSmsProvider(org)
}

/**
 * Development and tests: the text is stored with the mail in the dev outbox (template `sms`) and
 * linked from the server log, so every SMS flow works on `npm start` with no gateway.
 */
export function devOutboxSmsProvider(org: { id: string }): SmsProvider {
	return {
		async send({ to, body }) {
			const { env } = config()
			const stored = await db().outboxEmail.create({
				data: { organizationId: org.id, template: 'sms', from: 'SMS', to, subject: `Text message to ${to}`, text: body, html: `<pre>${escapeHtml(body)}</pre>` },
			})
			const url = `${originFor(env.FOYER_OPERATOR_HOST, { scheme: env.FOYER_PUBLIC_SCHEME, port: env.publicPort })}/operator/outbox/${stored.id}`
			logger.info({ org: org.id, to, url }, `text message stored in the dev outbox: ${url}`)
		},
	}
}

type HttpProviderConfig = Pick<SmsProviderRow, 'organizationId' | 'url' | 'authHeaderEncrypted' | 'bodyTemplate' | 'contentType'>

/**
 * An org's own gateway: one POST per message, the org's template as the body, its Authorization
 * header (stored encrypted), 10 s for the whole exchange, no redirects followed, any non-2xx an
 * error. Private targets are refused at connect time unless FOYER_ALLOW_PRIVATE_URLS is set.
 */
export function httpSmsProvider(provider: HttpProviderConfig): SmsProvider {
	return {
		async send({ to, body, code = '' }) {
			const { env, secrets } = config()
			const allowPrivate = env.FOYER_ALLOW_PRIVATE_URLS ?? false
			const problem = outboundUrlProblem(provider.url, allowPrivate)
			if (problem) throw new SmsDeliveryError(`SMS gateway URL ${problem}`)
			const payload = Buffer.from(renderSmsTemplate(provider.bodyTemplate, { to, body, code }, provider.contentType))
			const headers: Record<string, string> = { 'content-type': provider.contentType, 'content-length': String(payload.length), 'user-agent': 'Foyer' }
			if (provider.authHeaderEncrypted) headers['authorization'] = decrypt(provider.authHeaderEncrypted, secrets.secretKey, AUTH_HEADER_PURPOSE)
			const url = new URL(provider.url)
			const { status, text } = await post(url, headers, payload, allowPrivate)
			if (status < 200 || status > 299) throw new SmsDeliveryError(`SMS gateway answered ${status}: ${text.slice(0, RESPONSE_LOG_CHARS)}`)
		},
	}
}

function post(url: URL, headers: Record<string, string>, payload: Buffer, allowPrivate: boolean) {
	const signal = AbortSignal.timeout(SMS_TIMEOUT_MS)
	const transport = url.protocol === 'https:' ? https : http
	return new Promise<{ status: number; text: string }>((resolve, reject) => {
		const fail = (error: unknown) => reject(error instanceof Error && error.name === 'TimeoutError' ? new SmsDeliveryError(`SMS gateway did not answer within ${SMS_TIMEOUT_MS / 1000} s`) : error)
		const request = transport.request(url, { method: 'POST', headers, signal, ...(allowPrivate ? {} : { lookup: publicOnlyLookup }) }, (response) => {
			let text = ''
			response.setEncoding('utf8')
			response.on('data', (chunk: string) => {
				if (text.length < RESPONSE_LOG_CHARS) text += chunk
			})
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
			response.on('error', fail)
		})
		request.on('error', (error) => fail(signal.aborted ? signal.reason : error))
		request.end(payload)
	})
}

function escapeHtml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
