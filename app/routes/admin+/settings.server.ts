import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { readFormData } from '../../utils/forms.server'
import { requireOperatorPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { orgSettingsSchema, parseOrgSettings, parseSettingOverrides } from '../../modules/orgs/settings'
import { settingsFormSchema } from '../../modules/orgs/settings-form'
import { loadPlatformDefaults, senderRulesFor, SettingsError, updateOrgSettings, updatePlatformDefaults } from '../../modules/orgs/settings.server'
import { allowedSendersHint, senderAddressProblem } from '../../modules/orgs/sender'
import { forgetOrg } from '../../modules/orgs/resolve.server'

/**
 * Loaders and actions of the two settings pages (/admin/settings, /operator/defaults), kept out
 * of the routes: both read the stored overrides fresh from the database (not the cached org), and
 * both save through settings.server.ts, whose whole-object check is the final word.
 */
type Context = Pick<RequestContext, 'org' | 'secure' | 'ip' | 'userAgent'>

function auditContext(user: { id: string }, context: Context) {
	return { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
}

/**
 * An org's own overrides, what it inherits from the platform defaults, and the sender addresses
 * it may use (its operator-set domains, read fresh like the rest).
 */
async function orgSettingsState(organizationId: string) {
	const [row, platform] = await Promise.all([db().organization.findUnique({ where: { id: organizationId }, select: { settings: true, senderDomains: true } }), loadPlatformDefaults()])
	const overrides = parseSettingOverrides(row?.settings)
	const rules = senderRulesFor({ senderDomains: row?.senderDomains ?? [] }, platform)
	return { overrides, inherited: parseOrgSettings({}, platform), sender: { ...rules, stored: overrides.emailSenderAddress } }
}

export async function loadOrgSettingsPage(request: Request, context: Context) {
	const { permissions } = await requireOrgPermission(request, context, { settings: ['read'] })
	const state = await orgSettingsState(context.org.id)
	const stored = state.sender.stored
	return {
		orgName: context.org.name,
		canUpdate: hasPermission(permissions, { settings: ['update'] }),
		saved: new URL(request.url).searchParams.has('saved'),
		...state,
		senderHint: allowedSendersHint(context.org.name, state.sender),
		/** A stored address an operator's change left outside the allowed domains: kept, not used. */
		unusedSender: stored && senderAddressProblem(stored, state.sender) ? stored : null,
	}
}

export async function saveOrgSettingsForm(request: Request, context: Context) {
	const { user } = await requireOrgPermission(request, context, { settings: ['update'] })
	const { inherited, sender } = await orgSettingsState(context.org.id)
	const submission = parseWithZod(await readFormData(request), { schema: settingsFormSchema(inherited, sender) })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	try {
		await updateOrgSettings(context.org.id, submission.value, auditContext(user, context))
	} catch (error) {
		// The defaults or the sender domains changed between the check above and the write: still the form's answer.
		if (error instanceof SettingsError) return data({ result: submission.reply({ formErrors: error.errors }) }, { status: 400 })
		throw error
	}
	// This process serves the change (and mails from the new sender) at once, not only when its own NOTIFY comes back.
	forgetOrg(context.org.id)
	throw redirect('/admin/settings?saved=1')
}

const BUILT_IN = orgSettingsSchema.parse({})

export async function loadPlatformDefaultsPage(request: Request, context: Context) {
	await requireOperatorPermission(request, context, { org: ['update'] })
	return { saved: new URL(request.url).searchParams.has('saved'), overrides: await loadPlatformDefaults(), inherited: BUILT_IN }
}

export async function savePlatformDefaultsForm(request: Request, context: Context) {
	const { user } = await requireOperatorPermission(request, context, { org: ['update'] })
	const submission = parseWithZod(await readFormData(request), { schema: settingsFormSchema(BUILT_IN) })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	try {
		await updatePlatformDefaults(submission.value, { operatorOrgId: context.org.id, ...auditContext(user, context) })
	} catch (error) {
		if (error instanceof SettingsError) return data({ result: submission.reply({ formErrors: error.errors }) }, { status: 400 })
		throw error
	}
	// This process follows the change at once, not only when its own NOTIFY comes back.
	await loadPlatformDefaults()
	throw redirect('/operator/defaults?saved=1')
}
