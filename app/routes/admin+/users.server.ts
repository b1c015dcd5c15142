import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { generatePassword } from '../../utils/crypto.server'
import { readFormData } from '../../utils/forms.server'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { sendPasswordReset } from '../../modules/verification/flows.server'
import { grantableRoles, userActor } from '../../modules/permissions/grants.server'
import { changeUser, createUserAs, NO_SUCH_USER, UserChangeRefused, type UserChange } from '../../modules/users/admin-users.server'
import { buttonIntentSchema, changeRoleSchema, createUserSchema, deleteUserSchema, intentSchema, type Intent } from '../../modules/users/admin-user-schemas'
import { findOrgUser } from '../../modules/users/user-detail.server'

/**
 * The HTTP side of /admin/users and /admin/users/:id: guard, parse the form with zod, call the
 * module, answer 4xx with a message for anything the admin can fix. Routes stay thin.
 */

/**
 * Creates a user with a generated password. The password travels in this one response and is
 * rendered from it; it is never stored anywhere but as its hash.
 */
export async function createUserFromForm(request: Request, context: RequestContext) {
	const { user, permissions } = await requireOrgPermission(request, context, { user: ['create'] })
	const actor = userActor(context.org, user, permissions)
	const submission = parseWithZod(await readFormData(request), { schema: createUserSchema(await grantableRoles(actor)) })
	if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
	const password = generatePassword()
	try {
		const created = await createUserAs(actor, { email: submission.value.email, password, role: submission.value.role }, context)
		return data({ result: submission.reply({ resetForm: true }), created: { id: created.id, email: created.email, role: created.role, password } }, { status: 201 })
	} catch (error) {
		if (!(error instanceof UserChangeRefused)) throw error
		const field = error.reason === 'email_taken' ? 'email' : 'role'
		return data({ result: submission.reply({ fieldErrors: { [field]: [error.message] } }), created: null }, { status: error.status })
	}
}

function changeSchemaFor(intent: Intent) {
	if (intent === 'change-role') return changeRoleSchema
	if (intent === 'delete') return deleteUserSchema
	return buttonIntentSchema
}

export function userNotFound(): never {
	throw data(NO_SUCH_USER, { status: 404 })
}

/**
 * Every change on /admin/users/:id, told apart by `intent`. The user is looked up in the org before
 * the form is read further, so another org's id is a 404 whatever the form says.
 */
export async function changeUserFromForm(request: Request, context: RequestContext, userId: string | undefined) {
	const { user, permissions } = await requireOrgPermission(request, context, { user: ['read'] })
	const target = await findOrgUser(context.org.id, userId)
	if (!target) userNotFound()
	const formData = await readFormData(request)
	const parsedIntent = intentSchema.safeParse({ intent: formData.get('intent') })
	if (!parsedIntent.success) throw data('That action is not available here.', { status: 400 })
	const intent = parsedIntent.data.intent
	assertPermission(permissions, { user: [intent === 'delete' ? 'delete' : 'update'] })

	const submission = parseWithZod(formData, { schema: changeSchemaFor(intent) })
	if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
	const change: UserChange = submission.value

	try {
		await changeUser(context, userActor(context.org, user, permissions), target.id, change)
	} catch (error) {
		if (!(error instanceof UserChangeRefused)) throw error
		if (error.status === 404) userNotFound()
		return data({ intent, result: submission.reply({ formErrors: [error.message] }) }, { status: error.status })
	}
	// Mail after the commit: the link must name a state that exists (no password, sessions ended).
	if (intent === 'force-password-reset') await sendPasswordReset(context, target.email)
	if (intent === 'delete') throw redirect('/admin/users?deleted=1')
	throw redirect(`/admin/users/${encodeURIComponent(target.id)}?done=${intent}`)
}
