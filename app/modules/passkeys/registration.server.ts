import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server'
import { type z } from 'zod'
import { type Session, type User } from '../../generated/prisma/client'
import { type RequestContext } from '../../context'
import { db, isUniqueViolation } from '../../utils/db.server'
import { logger } from '../../utils/logger.server'
import { recordAuditEvent } from '../audit/audit.server'
import { upgradeOwnSession } from '../mfa/complete.server'
import { requireRecentAuthentication } from '../mfa/step-up.server'
import { requireUser, safeRedirectPath } from '../sessions/session.server'
import { describeDevice } from '../sessions/devices'
import { CHALLENGE_TTL_SECONDS, clearChallengeCookie, saveChallenge, takeChallenge } from './challenges.server'
import { guardJson, json, jsonError, relyingParty } from './http.server'
import { knownTransports, PASSKEY_NAME_MAX, type RegistrationResponseSchema } from './schema'

/**
 * Registering a passkey for the signed-in user (the caller has checked the session and that it is
 * recent). Rules:
 * - discoverable credentials with user verification required: the passkey alone signs in (aal2);
 * - attestation 'none' (no vendor data is collected or trusted);
 * - the RP ID is the host the user is on; a passkey already registered here is excluded;
 * - the passkey, its audit event and (for a session still at aal1, e.g. a user made to set up MFA)
 *   the session's rotation to aal2 commit together: registering with user verification proves it.
 */

/** ES256, EdDSA, RS256: what platform authenticators and security keys use. */
export const PASSKEY_ALGORITHMS = [-7, -8, -257]

export const PASSKEYS_PAGE = '/account/passkeys'

/**
 * Who may register a passkey: a signed-in user (one made to set up MFA too) who signed in or
 * passed a factor recently; otherwise a JSON 401/403 with where to go (see guardJson).
 */
export function requireRegistrant(request: Request, context: RequestContext) {
	return guardJson(PASSKEYS_PAGE, async () => {
		const current = await requireUser(request, context, { allowMfaSetup: true })
		await requireRecentAuthentication(request, context, current, PASSKEYS_PAGE)
		return current
	})
}

type Current = { user: User; session: Session }

export async function registrationOptions(request: Request, context: RequestContext, current: Current): Promise<Response> {
	const rp = relyingParty(request, context)
	const existing = await db().passkey.findMany({
		where: { organizationId: context.org.id, userId: current.user.id, rpId: rp.rpId },
		select: { credentialId: true, transports: true },
	})
	const options = await generateRegistrationOptions({
		rpName: rp.rpName,
		rpID: rp.rpId,
		userName: current.user.email,
		userDisplayName: current.user.email,
		// The user handle is the user's id: no personal data, and it names the user on sign-in.
		userID: new TextEncoder().encode(current.user.id),
		attestationType: 'none',
		timeout: CHALLENGE_TTL_SECONDS * 1000,
		excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
		authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
		supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
	})
	const cookie = await saveChallenge(context, { purpose: 'registration', challenge: options.challenge, organizationId: context.org.id, rpId: rp.rpId, origin: rp.origin, userId: current.user.id })
	return json({ options }, { setCookies: [cookie] })
}

export async function verifyRegistration(
	request: Request,
	context: RequestContext,
	current: Current,
	body: { response: z.infer<typeof RegistrationResponseSchema>; name?: string; redirectTo?: string },
): Promise<Response> {
	const rp = relyingParty(request, context)
	const clear = await clearChallengeCookie(context)
	const stored = await takeChallenge(request, context, { purpose: 'registration', rpId: rp.rpId, origin: rp.origin })
	if (!stored || stored.userId !== current.user.id) {
		return jsonError(400, 'This request expired or was already used. Try adding the passkey again.', { setCookies: [clear] })
	}
	let info
	try {
		const verification = await verifyRegistrationResponse({
			response: body.response as RegistrationResponseJSON,
			expectedChallenge: stored.challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.rpId,
			requireUserVerification: true,
			supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
		})
		if (!verification.verified) throw new Error('not verified')
		info = verification.registrationInfo
	} catch (error) {
		logger.debug({ err: error }, 'passkey registration refused')
		return jsonError(400, 'The passkey could not be verified. Try again.', { setCookies: [clear] })
	}

	const name = (body.name?.trim() || `Passkey · ${describeDevice(context.userAgent)}`).slice(0, PASSKEY_NAME_MAX)
	const audit = { organizationId: context.org.id, actorId: current.user.id, ip: context.ip, userAgent: context.userAgent }
	try {
		const { passkey, next } = await db().$transaction(async (tx) => {
			const passkey = await tx.passkey.create({
				data: {
					organizationId: context.org.id,
					userId: current.user.id,
					credentialId: info.credential.id,
					publicKey: new Uint8Array(info.credential.publicKey),
					counter: BigInt(info.credential.counter),
					transports: knownTransports(info.credential.transports),
					deviceType: info.credentialDeviceType,
					backedUp: info.credentialBackedUp,
					rpId: rp.rpId,
					name,
				},
			})
			await recordAuditEvent(tx, {
				...audit,
				type: 'mfa.passkey_registered',
				targetType: 'passkey',
				targetId: passkey.id,
				data: { name, rpId: rp.rpId, deviceType: passkey.deviceType, backedUp: passkey.backedUp },
			})
			const next = await upgradeOwnSession(request, context, current, 'passkey', safeRedirectPath(body.redirectTo, PASSKEYS_PAGE), tx)
			return { passkey, next }
		})
		const redirectTo = next?.redirectTo ?? safeRedirectPath(body.redirectTo, PASSKEYS_PAGE)
		return json({ passkey: { id: passkey.id, name: passkey.name }, redirectTo }, { setCookies: [clear, ...(next?.setCookies ?? [])] })
	} catch (error) {
		if (isUniqueViolation(error)) {
			return jsonError(409, 'This passkey is already registered.', { setCookies: [clear] })
		}
		throw error
	}
}
