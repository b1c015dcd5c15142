import { createCookie, type Cookie } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { config } from '../../utils/config.server'

/**
 * The session cookie holds only a random token; the session lives in the database.
 * Host-only (no Domain attribute), so a cookie from one org's host is never sent to another.
 * Over HTTPS it is Secure with the `__Host-` prefix, which browsers refuse to accept with a Domain
 * or from plain HTTP; plain HTTP exists only for localhost development.
 */
const cookies = new Map<string, Cookie>()

export function sessionCookie(context: Pick<RequestContext, 'secure'>): Cookie {
	const name = context.secure ? '__Host-sid' : 'sid'
	let cookie = cookies.get(name)
	if (!cookie) {
		cookie = createCookie(name, {
			httpOnly: true,
			sameSite: 'lax',
			secure: context.secure,
			path: '/',
			secrets: [config().secrets.sessionSecret],
		})
		cookies.set(name, cookie)
	}
	return cookie
}
