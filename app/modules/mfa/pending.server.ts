import { createCookie } from '@remix-run/node'
import { z } from 'zod'
import { type RequestContext } from '../../context'
import { config } from '../../utils/config.server'
import { randomToken } from '../../utils/crypto.server'

/**
 * A sign-in that passed its first factor and waits for the second. No session exists yet: a
 * short-lived signed cookie names the user, the org, how they got this far and where they were
 * going. It is useless without the second factor, which is throttled like every secret check,
 * and it dies after PENDING_MINUTES or when the sign-in completes.
 */
export const PENDING_MINUTES = 10

const pendingSchema = z.object({
	/** Names this pending sign-in: its wrong second factors are capped on their own (ratelimit/throttle). */
	id: z.string().min(16).max(64),
	userId: z.string().min(1).max(100),
	organizationId: z.string().min(1).max(100),
	method: z.string().max(40),
	amr: z.array(z.string().max(20)).max(10),
	redirectTo: z.string().max(2048),
	issuedAt: z.number(),
})

export type PendingSignIn = z.infer<typeof pendingSchema>

const cookieFor = (context: Pick<RequestContext, 'secure'>) =>
	createCookie(context.secure ? '__Host-mfa' : 'mfa', {
		httpOnly: true,
		sameSite: 'lax',
		secure: context.secure,
		path: '/',
		maxAge: PENDING_MINUTES * 60,
		secrets: [config().secrets.sessionSecret],
	})

export function startPendingSignIn(context: Pick<RequestContext, 'secure'>, pending: Omit<PendingSignIn, 'issuedAt' | 'id'>): Promise<string> {
	return cookieFor(context).serialize({ ...pending, id: randomToken(16), issuedAt: Date.now() })
}

/** The pending sign-in of this browser on this org, if it is still fresh. */
export async function readPendingSignIn(request: Request, context: Pick<RequestContext, 'secure' | 'org'>): Promise<PendingSignIn | null> {
	const parsed = pendingSchema.safeParse(await cookieFor(context).parse(request.headers.get('cookie')))
	if (!parsed.success || parsed.data.organizationId !== context.org.id) return null
	return Date.now() - parsed.data.issuedAt <= PENDING_MINUTES * 60_000 ? parsed.data : null
}

export function clearPendingSignIn(context: Pick<RequestContext, 'secure'>): Promise<string> {
	return cookieFor(context).serialize('', { maxAge: 0 })
}
