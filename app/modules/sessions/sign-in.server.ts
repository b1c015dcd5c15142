import { type RequestContext } from '../../context'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { orgLink, sendEmailInBackground } from '../email/mailer.server'
import { clearPendingSignIn } from '../mfa/pending.server'
import { type Assurance } from '../mfa/policy'
import { deviceOf } from './device.server'
import { describeDevice } from './devices'
import { createSession, revokeCurrentSession, commitSession } from './session.server'


export type SignInInput = {
	userId: string
	/** What was proven, and how strongly (see mfa/policy.ts). */
	assurance: Assurance
	/** For the audit event: `password`, `passkey`, `totp`, ... */
	method: string
	data?: Record<string, unknown>
	/** A step-up or upgrade of the same browser's session: never a "new device". */
	sameBrowser?: boolean
}

/**
 * Every session starts here: the browser's previous session is revoked (rotation), a new one is
 * created with its assurance level and methods, and `user.signed_in` is written in the same
 * transaction. Pass `tx` when the sign-in is part of a larger change (a used verification, a new
 * password). Returns the Set-Cookie values: the session, the device, and the end of any pending
 * sign-in (a session started means no half-finished sign-in of anyone may linger in this browser).
 * A browser never seen before for this user (who has signed in before) gets a "new sign-in"
 * email, if the org sends them.
 */
export async function signInUser(request: Request, context: RequestContext, input: SignInInput, tx?: Tx): Promise<string[]> {
	const device = await deviceOf(request, context)
	const run = async (tx: Tx) => {
		const knownDevice = input.sameBrowser || (await isKnownDevice(tx, input.userId, device.hash))
		await revokeCurrentSession(tx, request, context)
		const created = await createSession(tx, { userId: input.userId, amr: input.assurance.amr, aal: input.assurance.aal, deviceHash: device.hash }, context)
		await recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'user.signed_in',
			actorId: input.userId,
			targetType: 'session',
			targetId: created.session.id,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { method: input.method, aal: input.assurance.aal, amr: input.assurance.amr, ...(knownDevice ? {} : { newDevice: true }), ...input.data },
		})
		return { token: created.token, newDevice: !knownDevice }
	}
	const { token, newDevice } = tx ? await run(tx) : await db().$transaction(run)
	if (newDevice && context.org.settings.newDeviceEmail) void notifyNewDevice(context, input.userId)
	return [await commitSession(token, context), device.setCookie, await clearPendingSignIn(context)]
}

/** A first sign-in ever is no "new device"; otherwise the browser must have signed this user in before. */
async function isKnownDevice(tx: Tx, userId: string, deviceHash: string) {
	const [row] = await tx.$queryRaw<{ any: boolean; known: boolean }[]>`
		SELECT EXISTS (SELECT 1 FROM "Session" WHERE "userId" = ${userId}) AS any,
			EXISTS (SELECT 1 FROM "Session" WHERE "userId" = ${userId} AND "deviceHash" = ${deviceHash}) AS known`
	return !row?.any || row.known
}

async function notifyNewDevice(context: RequestContext, userId: string) {
	const user = await db().user.findUnique({ where: { id: userId }, select: { email: true } })
	if (!user) return
	sendEmailInBackground(context.org, user.email, 'new-sign-in', {
		when: new Date().toUTCString(),
		ip: context.ip,
		device: describeDevice(context.userAgent),
		sessionsUrl: orgLink(context.org, '/account/sessions'),
	})
}

/** Redirect headers that set each cookie. */
export function setCookies(values: readonly string[]): Headers {
	const headers = new Headers()
	for (const value of values) headers.append('Set-Cookie', value)
	return headers
}
