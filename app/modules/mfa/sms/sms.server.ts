import { type RequestContext } from '../../../context'
import { db } from '../../../utils/db.server'
import { logger } from '../../../utils/logger.server'
import { displayNameOf } from '../../branding/document'
import { SMS_TEMPLATE } from '../../email/overrides'
import { loadOverride, smsBodyText } from '../../email/overrides.server'
import { refuseSend } from '../../verification/flows.server'
import { issueVerification, type VerificationType } from '../../verification/verification.server'
import { smsProviderFor } from './provider.server'
import { smsCodeText } from './template'

/**
 * The sending half of SMS codes: a phone being verified (`verify-phone`) and a sign-in's second
 * factor (`sms-code`, checked by second-factor.server.ts). Rules:
 * - the per-address send limit (shared with email) counts each request for a number;
 * - the code's row is written before the text goes out and deleted again if the gateway refuses
 *   it, so a failed send leaves no live code behind and no database transaction waits on a
 *   gateway for up to 10 s;
 * - a gateway's answer is logged, never shown: users read SMS_UNAVAILABLE.
 */
export type SmsSendResult = { ok: true } | SmsSendRefusal

export type SmsSendRefusal = { ok: false; status: 429 | 502; message: string; retryAfterSeconds: number }

export const SMS_UNAVAILABLE = "We couldn't send a text message just now. Try again in a minute, or use another way to sign in."

const RETRY_AFTER_GATEWAY_FAILURE_SECONDS = 60

type CodeInput = { type: Extract<VerificationType, 'verify-phone' | 'sms-code'>; to: string; userId: string }

/**
 * Texts a fresh code to `to` and returns the row it lives in (for the caller's audit event), or the
 * reason nothing was sent. Earlier live codes of the same type for the number stop working.
 */
export async function sendSmsCode(context: RequestContext, input: CodeInput): Promise<{ ok: true; verificationId: string } | SmsSendRefusal> {
	const refusal = await refuseSend(context, input.to)
	if (refusal) return { ok: false, ...refusal }
	const override = await loadOverride(context.org.id, SMS_TEMPLATE)
	const orgName = displayNameOf(context.org.branding.document, context.org)
	const issued = await db().$transaction((tx) =>
		issueVerification(tx, { organizationId: context.org.id, type: input.type, target: input.to, userId: input.userId, link: false, code: true }),
	)
	const code = issued.code!
	try {
		const provider = await smsProviderFor(context.org)
		await provider.send({ to: input.to, body: smsCodeText(code, orgName, context.org.host, smsBodyText(override, { orgName, code })), code })
	} catch (error) {
		await db().verification.deleteMany({ where: { id: issued.id } })
		logger.error({ err: error, org: context.org.id, type: input.type, requestId: context.requestId }, 'text message not sent')
		return { ok: false, status: 502, message: SMS_UNAVAILABLE, retryAfterSeconds: RETRY_AFTER_GATEWAY_FAILURE_SECONDS }
	}
	return { ok: true, verificationId: issued.id }
}

/**
 * "Text me a code" on /login/mfa: a `sms-code` for the user's verified phone. Refused (400) when
 * the user has no verified phone (the page offers the button only to those who do).
 */
export async function sendSmsSignInCode(context: RequestContext, user: { id: string; organizationId: string }): Promise<SmsSendResult | { ok: false; status: 400; message: string }> {
	const phone = user.organizationId === context.org.id ? await db().phoneFactor.findUnique({ where: { userId: user.id } }) : null
	if (!phone?.verifiedAt || phone.organizationId !== context.org.id) {
		return { ok: false, status: 400, message: 'This account has no verified phone number.' }
	}
	const sent = await sendSmsCode(context, { type: 'sms-code', to: phone.phoneNumber, userId: user.id })
	return sent.ok ? { ok: true } : sent
}
