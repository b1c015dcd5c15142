import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { readFormData } from '../../utils/forms.server'
import { assertPermission, requireOperatorPermission } from '../../modules/permissions/guard.server'
import { getOrgDetails } from '../../modules/orgs/directory.server'
import { onboardSchema } from '../../modules/orgs/onboard-form'
import { inviteOwner, onboardOrg } from '../../modules/orgs/onboarding.server'
import { db } from '../../utils/db.server'
import { emailSchema } from '../../modules/users/email'
import { OrgSlugTakenError } from '../../modules/orgs/orgs.server'
import { OperatorOrgSuspensionError, OrgNotFoundError, resumeOrg, suspendOrg } from '../../modules/orgs/suspension.server'
import { SenderDomainsError, setSenderDomains } from '../../modules/orgs/sender-domains.server'

/**
 * The actions of /operator/orgs (onboard) and /operator/orgs/:slug (suspend, resume). Each
 * checks the operator's statements before reading the form.
 */
type Context = Pick<RequestContext, 'org' | 'secure' | 'ip' | 'userAgent'>

export const NO_SUCH_ORG = 'No such organization.'

function auditContext(user: { id: string }, context: Context) {
	return { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
}

export async function onboardFromForm(request: Request, context: Context) {
	const { user, permissions } = await requireOperatorPermission(request, context, { org: ['create'] })
	const submission = parseWithZod(await readFormData(request), { schema: onboardSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), onboarded: null }, { status: 400 })
	try {
		const outcome = await onboardOrg(submission.value, { operatorOrgId: context.org.id, operator: { id: user.id, permissions }, ...auditContext(user, context) })
		const onboarded = { slug: outcome.org.slug, name: outcome.org.name, adminEmail: submission.value.adminEmail, invited: outcome.invited, message: outcome.invited ? null : outcome.message }
		return data({ result: submission.reply({ resetForm: true }), onboarded }, { status: 201 })
	} catch (error) {
		if (error instanceof OrgSlugTakenError) return data({ result: submission.reply({ fieldErrors: { slug: ['This slug is taken: choose another.'] } }), onboarded: null }, { status: 400 })
		throw error
	}
}

export async function requireOrgDetails(slug: string | undefined) {
	const org = await getOrgDetails(slug)
	if (!org) throw data(NO_SUCH_ORG, { status: 404 })
	return org
}

/**
 * Suspend, resume, invite an owner and set the sender domains share /operator/orgs/:slug, told
 * apart by `intent`; all need org: ['update'].
 */
export async function changeOrgFromForm(request: Request, context: Context, slug: string | undefined) {
	const { user, permissions } = await requireOperatorPermission(request, context, { org: ['read'] })
	const org = await requireOrgDetails(slug)
	const form = await readFormData(request)
	const intent = form.get('intent')
	if (intent !== 'suspend' && intent !== 'resume' && intent !== 'invite' && intent !== 'sender-domains') throw data('That action is not available here.', { status: 400 })
	assertPermission(permissions, { org: ['update'] })
	if (intent === 'sender-domains') {
		const input = form.get('senderDomains')
		try {
			await setSenderDomains(org.id, typeof input === 'string' ? input : '', { operatorOrgId: context.org.id, ...auditContext(user, context) })
		} catch (error) {
			if (error instanceof SenderDomainsError) return data({ intent, error: error.errors.join('. ') }, { status: 400 })
			throw error
		}
		throw redirect(`/operator/orgs/${encodeURIComponent(org.slug)}?senderDomains=1`)
	}
	if (intent === 'invite') {
		const email = emailSchema.safeParse(form.get('email') ?? '')
		if (!email.success) return data({ intent, error: email.error.issues[0]?.message ?? 'Enter a valid email address' }, { status: 400 })
		const row = await db().organization.findUniqueOrThrow({ where: { id: org.id } })
		const invite = await inviteOwner(row, email.data, auditContext(user, context), { id: user.id, permissions })
		if (!invite.ok) return data({ intent, error: invite.message }, { status: 400 })
		throw redirect(`/operator/orgs/${encodeURIComponent(org.slug)}?invited=1`)
	}
	try {
		const change = intent === 'suspend' ? suspendOrg : resumeOrg
		await change(org.id, { operatorOrgId: context.org.id, ...auditContext(user, context) })
	} catch (error) {
		if (error instanceof OperatorOrgSuspensionError) return data({ intent, error: error.message }, { status: 400 })
		if (error instanceof OrgNotFoundError) throw data(NO_SUCH_ORG, { status: 404 })
		throw error
	}
	throw redirect(`/operator/orgs/${encodeURIComponent(org.slug)}?${intent === 'suspend' ? 'suspended' : 'resumed'}=1`)
}
