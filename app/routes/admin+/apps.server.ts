import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { z, ZodError } from 'zod'
import { type RequestContext } from '../../context'
import { appFormSchema } from '../../modules/admin/app-form'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { AppNotFoundError, createApp, deleteApp, getApp, updateApp } from '../../modules/apps/apps.server'
import { APP_TYPES } from '../../modules/apps/schema'
import { readFormData } from '../../utils/forms.server'

type Context = Pick<RequestContext, 'org' | 'secure' | 'ip' | 'userAgent'>

/** Client ids are base64url (ids are cuids); anything else, NUL bytes included, is no app of ours. */
const APP_KEY = /^[A-Za-z0-9_-]{1,100}$/

export const NO_SUCH_APP = 'No such app in this organization.'

export const deleteSchema = z.object({
	confirm: z.boolean({ error: 'Tick the box to confirm the deletion.' }).refine(Boolean, 'Tick the box to confirm the deletion.'),
})

function auditContext(user: { id: string }, context: Context) {
	return { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
}

/** Schema checks also run inside the module; if one fails there it is still the form's fault. */
function zodMessages(error: ZodError) {
	return [...new Set(error.issues.map((issue) => issue.message))]
}

/**
 * The org's app with this client id, or a 404 page. The lookup is scoped to the org, so a client id
 * of another org reads exactly like one that does not exist.
 */
export async function requireOwnedApp(organizationId: string, clientId: string | undefined) {
	if (!clientId || !APP_KEY.test(clientId)) throw data(NO_SUCH_APP, { status: 404 })
	try {
		return await getApp(organizationId, clientId)
	} catch (error) {
		if (error instanceof AppNotFoundError) throw data(NO_SUCH_APP, { status: 404 })
		throw error
	}
}

/**
 * Creates an app from the /admin/apps form. The secret travels in this one response and is
 * rendered from it; it is never put in a session, a cookie or a URL.
 */
export async function createAppFromForm(request: Request, context: Context) {
	const { user } = await requireOrgPermission(request, context, { app: ['create'] })
	const submission = parseWithZod(await readFormData(request), { schema: appFormSchema() })
	if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
	try {
		const { app, clientSecret } = await createApp(context.org.id, submission.value, auditContext(user, context))
		return data({ result: submission.reply({ resetForm: true }), created: { clientId: app.clientId, name: app.name, type: app.type, clientSecret } }, { status: 201 })
	} catch (error) {
		if (error instanceof ZodError) return data({ result: submission.reply({ formErrors: zodMessages(error) }), created: null }, { status: 400 })
		throw error
	}
}

/**
 * Update and delete share /admin/apps/:clientId, told apart by `intent`. Every branch checks the
 * admin and the app's org before reading the form.
 */
export async function changeAppFromForm(request: Request, context: Context, clientId: string | undefined) {
	const { user, permissions } = await requireOrgPermission(request, context, { app: ['read'] })
	const app = await requireOwnedApp(context.org.id, clientId)
	const formData = await readFormData(request)
	const intent = formData.get('intent')

	if (intent === 'update') {
		assertPermission(permissions, { app: ['update'] })
		// The type is fixed at creation: validate against the stored one, whatever the form says.
		const type = APP_TYPES.find((known) => known === app.type)
		if (!type) throw new Error(`app ${app.id} has an unknown type`)
		const submission = parseWithZod(formData, { schema: appFormSchema(type) })
		if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
		try {
			await updateApp(context.org.id, app.id, submission.value, auditContext(user, context))
		} catch (error) {
			if (error instanceof ZodError) return data({ intent, result: submission.reply({ formErrors: zodMessages(error) }) }, { status: 400 })
			if (error instanceof AppNotFoundError) throw data(NO_SUCH_APP, { status: 404 })
			throw error
		}
		// Redirect after the write, so a reload does not post the form again.
		throw redirect(`/admin/apps/${encodeURIComponent(app.clientId)}?saved=1`)
	}

	if (intent === 'delete') {
		assertPermission(permissions, { app: ['delete'] })
		const submission = parseWithZod(formData, { schema: deleteSchema })
		if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
		try {
			await deleteApp(context.org.id, app.id, auditContext(user, context))
		} catch (error) {
			// Deleted by someone else in the meantime: the outcome the admin asked for.
			if (!(error instanceof AppNotFoundError)) throw error
		}
		throw redirect('/admin/apps?deleted=1')
	}

	throw data('That action is not available here.', { status: 400 })
}
