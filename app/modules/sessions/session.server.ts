import { redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { randomToken, sha256 } from '../../utils/crypto.server'
import { db, type Tx } from '../../utils/db.server'
import { authStepFor } from '../mfa/auth-step.server'
import { authStepPath } from '../mfa/next-step'
import { sessionCookie } from './cookie.server'


/** lastSeenAt is refreshed at most this often, so reading a page does not write a row every time. */
const TOUCH_INTERVAL_MS = 60_000

/**
 * Creates a session row for a sign-in and returns the token for the cookie. The token (256 bits)
 * is never stored: only its sha256, so a database leak yields no usable session.
 */
export async function createSession(
	tx: Tx,
	input: { userId: string; amr: string[]; aal?: 'aal1' | 'aal2'; deviceHash?: string },
	context: Pick<RequestContext, 'org' | 'ip' | 'userAgent'>,
) {
	const token = randomToken(32)
	const now = Date.now()
	const session = await tx.session.create({
		data: {
			organizationId: context.org.id,
			userId: input.userId,
			tokenHash: sha256(token),
			amr: input.amr,
			aal: input.aal ?? 'aal1',
			ip: context.ip,
			userAgent: context.userAgent?.slice(0, 512),
			deviceHash: input.deviceHash ?? null,
			expiresAt: new Date(now + context.org.settings.sessionAbsoluteMinutes * 60_000),
		},
	})
	return { session, token }
}

export async function commitSession(token: string, context: Pick<RequestContext, 'secure'>) {
	return sessionCookie(context).serialize(token)
}

export async function destroySessionCookie(context: Pick<RequestContext, 'secure'>) {
	return sessionCookie(context).serialize('', { maxAge: 0 })
}

async function tokenFromCookieHeader(header: string | null, context: Pick<RequestContext, 'secure'>): Promise<string | null> {
	const value: unknown = await sessionCookie(context).parse(header)
	return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : null
}

/**
 * The live session a cookie header names, or null. A session counts only on the org it was
 * created for, while not revoked, within its absolute expiry and its idle limit, and while the
 * user is enabled. Used by loaders and by the OIDC provider (which has no Remix request).
 */
export async function findSessionByCookieHeader(header: string | null | undefined, context: Pick<RequestContext, 'org' | 'secure'>) {
	const token = await tokenFromCookieHeader(header ?? null, context)
	if (!token) return null
	const session = await db().session.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } })
	if (!session || session.organizationId !== context.org.id || session.revokedAt) return null
	const now = Date.now()
	const idleLimit = context.org.settings.sessionIdleMinutes * 60_000
	if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idleLimit <= now) return null
	if (session.user.disabledAt) return null
	return { session, user: session.user }
}

/** The signed-in user of this request, or null; refreshes lastSeenAt at most once a minute. */
export async function getSessionUser(request: Request, context: Pick<RequestContext, 'org' | 'secure'>) {
	const current = await findSessionByCookieHeader(request.headers.get('cookie'), context)
	if (current && Date.now() - current.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
		// Conditional, so of many concurrent requests of one session only the first writes.
		await db().session.updateMany({ where: { id: current.session.id, lastSeenAt: { lt: new Date(Date.now() - TOUCH_INTERVAL_MS) } }, data: { lastSeenAt: new Date() } })
	}
	return current
}

/**
 * The signed-in user, or a redirect to sign in. Where the org's policy demands a second factor of
 * this user and the session has none (aal1), every page but the ones that set one up
 * (`allowMfaSetup`) sends them on: to pass their factor, or to set one up.
 */
export async function requireUser(request: Request, context: Pick<RequestContext, 'org' | 'secure'>, options: { allowMfaSetup?: boolean } = {}) {
	const current = await getSessionUser(request, context)
	const url = new URL(request.url)
	const to = `${url.pathname}${url.search}`
	const assurance = current ? { aal: current.session.aal === 'aal2' ? ('aal2' as const) : ('aal1' as const) } : null
	const step = await authStepFor(context, { user: current?.user ?? null, assurance, needs: { policy: !options.allowMfaSetup }, to })
	if (!current || step.kind !== 'continue') throw redirect(authStepPath(step))
	return current
}

/** Signed-in visitors of sign-in pages go where they were heading (or to their account). */
export async function requireAnonymous(request: Request, context: Pick<RequestContext, 'org' | 'secure'>) {
	if (await getSessionUser(request, context)) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')))
}

/** Revokes the session this request's cookie names, if any; returns it for auditing. */
export async function revokeCurrentSession(tx: Tx, request: Request, context: Pick<RequestContext, 'org' | 'secure'>) {
	return revokeByToken(tx, await tokenFromCookieHeader(request.headers.get('cookie'), context), context)
}

/** For RP-initiated logout, which runs inside oidc-provider rather than a Remix action. */
export async function revokeSessionByCookieHeader(header: string | null | undefined, context: Pick<RequestContext, 'org' | 'secure'>) {
	const token = await tokenFromCookieHeader(header ?? null, context)
	return db().$transaction((tx) => revokeByToken(tx, token, context))
}

async function revokeByToken(tx: Tx, token: string | null, context: Pick<RequestContext, 'org'>) {
	if (!token) return null
	const session = await tx.session.findUnique({ where: { tokenHash: sha256(token) } })
	if (!session || session.organizationId !== context.org.id || session.revokedAt) return null
	return tx.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } })
}

/** A Set-Cookie header value that deletes the session cookie (no signing needed to clear it). */
export function clearSessionCookieHeader(context: Pick<RequestContext, 'secure'>) {
	return `${sessionCookie(context).name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${context.secure ? '; Secure' : ''}`
}

/** Only same-site relative paths: `//evil.com` and `/\evil.com` are other origins to a browser. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = '/account'): string {
	if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\') || /[\u0000-\u001f]/.test(to)) return fallback
	return to.length > 2048 ? fallback : to
}
