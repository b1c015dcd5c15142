import { createCookie } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { randomToken, sha256 } from '../../utils/crypto.server'

/**
 * A long-lived, random, host-only cookie that names this browser, so Foyer can tell a sign-in
 * from a device it has seen (for this user) from one it has not. Only its sha256 is stored, on
 * the sessions it signed in. It proves nothing and unlocks nothing: losing or forging it only
 * changes whether a "new sign-in" email is sent.
 */
const MAX_AGE_SECONDS = 400 * 24 * 3600

const cookieFor = (context: Pick<RequestContext, 'secure'>) =>
	createCookie(context.secure ? '__Host-did' : 'did', { httpOnly: true, sameSite: 'lax', secure: context.secure, path: '/', maxAge: MAX_AGE_SECONDS })

/** This browser's device id, and the Set-Cookie value to (re)issue it. */
export async function deviceOf(request: Request, context: Pick<RequestContext, 'secure'>) {
	const cookie = cookieFor(context)
	const value: unknown = await cookie.parse(request.headers.get('cookie'))
	const id = typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : randomToken(32)
	return { hash: sha256(id), setCookie: await cookie.serialize(id) }
}
