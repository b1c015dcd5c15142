import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server'
import { type z } from 'zod'
import { type Passkey, type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { completeSecondFactor, secondFactorSubject, type SecondFactorSubject } from '../mfa/complete.server'
import { continueAfterFirstFactor, type NextStep } from '../mfa/sign-in-flow.server'
import { withSecretThrottle, type SecretCheck } from '../ratelimit/throttle.server'
import { CHALLENGE_TTL_SECONDS, clearChallengeCookie, saveChallenge, takeChallenge } from './challenges.server'
import { json, jsonError, relyingParty, type RelyingParty } from './http.server'
import { type AuthenticationResponseSchema, type PasskeyMode } from './schema'

/**
 * Signing in with a passkey, alone (passwordless, discoverable credentials, conditional UI) or as
 * the second factor of a pending sign-in or a step-up. Rules:
 * - the credential is looked up by this org and its id: a passkey of another org is unknown here,
 *   and the host's RP ID and origin are checked by the signature over them;
 * - the challenge is taken once, for this purpose, org and host (challenges.server.ts);
 * - every failure counts in the shared throttle (account = the user's email when the passkey is
 *   known, else `passkey:<ip>`) and is audited: `user.sign_in_failed` (passwordless) or
 *   `mfa.failed` (second factor), with a reason;
 * - the signature counter must grow when the authenticator keeps one; the new value is written
 *   only if the stored one is unchanged, in the transaction that signs in, so one assertion
 *   cannot be used twice even by racing requests;
 * - passwordless requires user verification (the passkey is then aal2 by itself); as a second
 *   factor, presence is enough (the first factor was already a proof).
 */

const NOT_SIGNED_IN = 'That passkey could not sign you in here. Try again, or use another way to sign in.'
const SECOND_FACTOR_FAILED = 'That passkey could not be verified. Try again, or use another way.'
const EXPIRED = 'This sign-in request expired or was already used. Try again.'

export async function authenticationOptions(request: Request, context: RequestContext, mode: PasskeyMode, requestedRedirect?: string): Promise<Response> {
	const rp = relyingParty(request, context)
	let userId: string | null = null
	let allowCredentials: { id: string; transports: string[] }[] = []
	if (mode === 'second-factor') {
		const subject = await secondFactorSubject(request, context, requestedRedirect)
		if (!subject) return jsonError(401, 'Sign in first.', { redirectTo: '/login' })
		const passkeys = await db().passkey.findMany({ where: { organizationId: context.org.id, userId: subject.user.id, rpId: rp.rpId }, select: { credentialId: true, transports: true } })
		if (passkeys.length === 0) return jsonError(400, 'You have no passkey for this address. Use another way.')
		userId = subject.user.id
		allowCredentials = passkeys.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports }))
	}
	const options = await generateAuthenticationOptions({
		rpID: rp.rpId,
		allowCredentials,
		userVerification: mode === 'sign-in' ? 'required' : 'preferred',
		timeout: CHALLENGE_TTL_SECONDS * 1000,
	})
	const cookie = await saveChallenge(context, { purpose: mode, challenge: options.challenge, organizationId: context.org.id, rpId: rp.rpId, origin: rp.origin, userId })
	return json({ options }, { setCookies: [cookie] })
}

type Body = { mode: PasskeyMode; response: z.infer<typeof AuthenticationResponseSchema>; redirectTo?: string }

type Failure = { reason: string }

export async function verifyAuthentication(request: Request, context: RequestContext, body: Body): Promise<Response> {
	const rp = relyingParty(request, context)
	const clear = await clearChallengeCookie(context)
	const passkey = await db().passkey.findUnique({
		where: { organizationId_credentialId: { organizationId: context.org.id, credentialId: body.response.id } },
		include: { user: true },
	})

	let subject: SecondFactorSubject | null = null
	if (body.mode === 'second-factor') {
		subject = await secondFactorSubject(request, context, body.redirectTo)
		if (!subject) return jsonError(401, 'Sign in first.', { redirectTo: '/login', setCookies: [clear] })
	}
	const knownUser = subject?.user ?? passkey?.user ?? null
	const actor = { actorId: knownUser?.id ?? null, targetType: knownUser ? 'user' : null, targetId: knownUser?.id ?? null }
	const failure =
		body.mode === 'second-factor'
			? { ...actor, type: 'mfa.failed', data: { method: 'passkey' } }
			: { ...actor, type: 'user.sign_in_failed', data: { method: 'passkey', ...(knownUser ? { email: knownUser.email } : {}) } }
	const checked = await withSecretThrottle(context, { account: knownUser?.email ?? `passkey:${context.ip}`, attempt: subject?.attempt, failure }, async (): Promise<SecretCheck<NextStep>> => {
		const outcome = await check(request, context, rp, body, passkey, subject)
		return 'reason' in outcome ? { ok: false, reason: outcome.reason } : { ok: true, value: outcome }
	})
	if (!checked.ok) {
		if (checked.status === 429) return jsonError(429, checked.message, { headers: { 'Retry-After': String(checked.retryAfterSeconds) }, setCookies: [clear] })
		const message = checked.reason === 'challenge' ? EXPIRED : body.mode === 'second-factor' ? SECOND_FACTOR_FAILED : NOT_SIGNED_IN
		return jsonError(400, message, { setCookies: [clear] })
	}
	return json({ redirectTo: checked.value.redirectTo }, { setCookies: [clear, ...checked.value.setCookies] })
}

async function check(
	request: Request,
	context: RequestContext,
	rp: RelyingParty,
	body: Body,
	passkey: (Passkey & { user: User }) | null,
	subject: SecondFactorSubject | null,
): Promise<NextStep | Failure> {
	const stored = await takeChallenge(request, context, { purpose: body.mode, rpId: rp.rpId, origin: rp.origin })
	if (!stored || (subject && stored.userId !== subject.user.id)) return { reason: 'challenge' }
	if (!passkey) return { reason: 'unknown_credential' }
	if (subject && passkey.userId !== subject.user.id) return { reason: 'not_this_users_passkey' }
	if (passkey.user.disabledAt) return { reason: 'user_disabled' }
	if (passkey.rpId !== rp.rpId) return { reason: 'other_host' }
	const handle = body.response.response.userHandle
	if (handle !== undefined && handle !== Buffer.from(passkey.userId).toString('base64url')) return { reason: 'user_handle_mismatch' }

	let newCounter: number
	let backedUp: boolean
	try {
		const verification = await verifyAuthenticationResponse({
			response: body.response as AuthenticationResponseJSON,
			expectedChallenge: stored.challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.rpId,
			credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter), transports: passkey.transports },
			requireUserVerification: body.mode === 'sign-in',
		})
		if (!verification.verified) return { reason: 'bad_signature' }
		newCounter = verification.authenticationInfo.newCounter
		backedUp = verification.authenticationInfo.credentialBackedUp
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error)
		logger.debug({ err: error }, 'passkey assertion refused')
		return { reason: failureReason(message) }
	}

	return db().$transaction(async (tx) => {
		const used = await tx.passkey.updateMany({
			where: { id: passkey.id, counter: passkey.counter },
			data: { counter: BigInt(newCounter), backedUp, lastUsedAt: new Date() },
		})
		if (used.count !== 1) return { reason: 'used_concurrently' }
		if (subject) return completeSecondFactor(request, context, subject, 'passkey', tx)
		return continueAfterFirstFactor(request, context, { user: passkey.user, method: 'passkey', redirectTo: body.redirectTo, data: { passkeyId: passkey.id } }, tx)
	})
}

/** The library's error, as a reason for the audit log (its messages may echo client input). */
function failureReason(message: string): string {
	if (/counter/i.test(message)) return 'counter_not_increased'
	if (/challenge/i.test(message)) return 'wrong_challenge'
	if (/origin/i.test(message)) return 'wrong_origin'
	if (/RP ID/i.test(message)) return 'wrong_rp_id'
	if (/verification required/i.test(message)) return 'user_not_verified'
	if (/not present/i.test(message)) return 'user_not_present'
	return 'invalid_assertion'
}
