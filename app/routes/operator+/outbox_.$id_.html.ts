import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'
import { db } from '../../utils/db.server'

/**
 * The HTML part of an outbox email, for the sandboxed frame on its page. It gets its own CSP (the
 * app's nonce policy would block the inline styles email HTML is made of; see
 * server/middleware.ts): no script at all, a sandbox, and framing by this origin only.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
	await requireOperatorPermission(request, context, { org: ['read'] })
	const email = await db().outboxEmail.findUnique({ where: { id: params.id ?? '' }, select: { html: true } })
	if (!email) throw data('No such email in the outbox.', { status: 404 })
	return new Response(email.html, {
		headers: {
			'Content-Type': 'text/html; charset=utf-8',
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; sandbox",
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'no-store',
			'Referrer-Policy': 'no-referrer',
		},
	})
}
