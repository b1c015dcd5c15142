import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { recordAuditEvent } from '../../modules/audit/audit.server'
import { destroySessionCookie, revokeCurrentSession } from '../../modules/sessions/session.server'
import { db } from '../../utils/db.server'

/** Sign-out is POST only (a GET would let any page sign a user out with an <img>). */
export async function loader() {
	throw redirect('/account')
}

export async function action({ request, context }: ActionFunctionArgs) {
	await db().$transaction(async (tx) => {
		const session = await revokeCurrentSession(tx, request, context)
		if (!session) return
		await recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'user.signed_out',
			actorId: session.userId,
			targetType: 'session',
			targetId: session.id,
			ip: context.ip,
			userAgent: context.userAgent,
		})
	})
	throw redirect('/login', { headers: { 'Set-Cookie': await destroySessionCookie(context) } })
}
