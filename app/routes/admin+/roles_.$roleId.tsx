import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { CheckboxField, ErrorList, Field, FormError } from '../../components/ui/field'
import { ConsoleNotice } from '../../components/ui/data-table'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { createRole, deleteRole, getCustomRole, RoleInUseError, RoleNameTakenError, RoleNotFoundError, roleFormSchema, updateRole } from '../../modules/permissions/roles.server'
import { permissionsToWords } from '../../modules/apikeys/schema'
import { hasPermission, missingStatements, RESOURCES, STATEMENTS, type Permissions } from '../../modules/permissions/statements'
import { readFormData } from '../../utils/forms.server'

/** `/admin/roles/new` creates; `/admin/roles/<id>` edits and deletes. Role ids are cuids, never "new". */
const NEW = 'new'
const ROLE_ID = /^[A-Za-z0-9_-]{1,100}$/
const NO_SUCH_ROLE = 'No such role in this organization.'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.role?.name ?? 'New role'} · Roles · ${data?.orgName ?? ''}` }]

async function requireRole(organizationId: string, roleId: string | undefined) {
	if (!roleId || !ROLE_ID.test(roleId)) throw data(NO_SUCH_ROLE, { status: 404 })
	try {
		return await getCustomRole(organizationId, roleId)
	} catch (error) {
		if (error instanceof RoleNotFoundError) throw data(NO_SUCH_ROLE, { status: 404 })
		throw error
	}
}

function toPairs(statements: Permissions) {
	return RESOURCES.flatMap((resource) => (statements[resource] ?? []).map((action) => `${resource}:${action}`))
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
	const { permissions } = await requireOrgPermission(request, context, { role: ['read'] })
	const common = { orgName: context.org.name, saved: new URL(request.url).searchParams.has('saved') }
	if (params.roleId === NEW) {
		assertPermission(permissions, { role: ['create'] })
		return { ...common, role: null, canUpdate: true, canDelete: false }
	}
	const role = await requireRole(context.org.id, params.roleId)
	return {
		...common,
		role: { id: role.id, name: role.name, description: role.description, statements: toPairs(role.statements) },
		canUpdate: hasPermission(permissions, { role: ['update'] }),
		canDelete: hasPermission(permissions, { role: ['delete'] }),
	}
}

const deleteSchema = z.object({ confirm: z.literal('on', { error: 'Tick the box to confirm the deletion.' }) })

/** Why the editor may not define a role with these statements, or null when their own role covers them all. */
function beyondEditor(editor: Permissions, ...statements: Permissions[]): string | null {
	const lacking = statements.flatMap((wanted) => permissionsToWords(missingStatements(editor, wanted)))
	if (lacking.length === 0) return null
	return `Your own role doesn't allow ${[...new Set(lacking)].join(', ')}, so you can't put it in a role or change a role that has it.`
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	const { user, permissions } = await requireOrgPermission(request, context, { role: ['read'] })
	const audit = { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
	const creating = params.roleId === NEW
	const role = creating ? null : await requireRole(context.org.id, params.roleId)
	const formData = await readFormData(request)
	const intent = formData.get('intent')

	if (intent === 'save') {
		assertPermission(permissions, creating ? { role: ['create'] } : { role: ['update'] })
		const submission = parseWithZod(formData, { schema: roleFormSchema })
		if (submission.status !== 'success') return data({ intent, result: submission.reply(), problem: null }, { status: 400 })
		// Only what the editor holds goes into a role, before and after the change: no one makes a role stronger than their own.
		const beyond = beyondEditor(permissions, role?.statements ?? {}, submission.value.statements)
		if (beyond) return data({ intent, result: submission.reply({ formErrors: [beyond] }), problem: null }, { status: 403 })
		let saved: { id: string }
		try {
			saved = role ? await updateRole(context.org.id, role.id, submission.value, audit) : await createRole(context.org.id, submission.value, audit)
		} catch (error) {
			if (error instanceof RoleNameTakenError) return data({ intent, result: submission.reply({ fieldErrors: { name: [error.message] } }), problem: null }, { status: 409 })
			if (error instanceof RoleNotFoundError) throw data(NO_SUCH_ROLE, { status: 404 })
			throw error
		}
		throw redirect(`/admin/roles/${encodeURIComponent(saved.id)}?saved=1`)
	}

	if (intent === 'delete' && role) {
		assertPermission(permissions, { role: ['delete'] })
		const submission = parseWithZod(formData, { schema: deleteSchema })
		if (submission.status !== 'success') return data({ intent, result: submission.reply(), problem: null }, { status: 400 })
		const beyond = beyondEditor(permissions, role.statements)
		if (beyond) return data({ intent, result: null, problem: beyond }, { status: 403 })
		try {
			await deleteRole(context.org.id, role.id, audit)
		} catch (error) {
			if (error instanceof RoleInUseError) return data({ intent, result: null, problem: error.message }, { status: 409 })
			// Deleted by someone else meanwhile: the outcome asked for.
			if (!(error instanceof RoleNotFoundError)) throw error
		}
		throw redirect('/admin/roles?deleted=1')
	}

	throw data('That action is not available here.', { status: 400 })
}

export default function RolePage() {
	const { role, saved, canDelete } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div className="flex flex-col gap-8">
			<div>
				<p className="mb-2 text-sm">
					<Link className="text-link underline" to="/admin/roles">
						← All roles
					</Link>
				</p>
				<h1 className="text-2xl font-semibold break-words">{role ? role.name : 'New custom role'}</h1>
			</div>
			{saved && !actionData ? (
				<ConsoleNotice>Changes saved.</ConsoleNotice>
			) : null}
			<RoleForm />
			{role && canDelete ? <DeleteRoleForm problem={actionData?.intent === 'delete' ? actionData.problem : null} errors={actionData?.intent === 'delete' ? actionData.result : undefined} /> : null}
		</div>
	)
}

function RoleForm() {
	const { role, canUpdate } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: role ? `role-${role.id}` : 'new-role',
		lastResult: navigation.state === 'idle' && actionData?.intent === 'save' ? actionData.result : undefined,
		defaultValue: { name: role?.name ?? '', description: role?.description ?? '', statements: role?.statements ?? [] },
	})
	const initial = fields.statements.initialValue
	const ticked = new Set(Array.isArray(initial) ? initial : initial ? [initial] : [])
	return (
		<section aria-labelledby="role-form-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="role-form-heading" className="mb-4 text-lg font-semibold">
				{role ? 'Settings' : 'Create a role'}
			</h2>
			<Form method="POST" className="flex flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<fieldset disabled={!canUpdate} className="flex flex-col gap-4">
					<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 50, autoComplete: 'off' }} errors={fields.name.errors} hint="Letters, digits, spaces, - and _. Users hold the role by this name." />
					<Field label="Description" inputProps={{ ...getInputProps(fields.description, { type: 'text' }), maxLength: 500, autoComplete: 'off' }} errors={fields.description.errors} />
					<fieldset className="flex flex-col gap-3" aria-describedby={fields.statements.errors?.length ? fields.statements.errorId : undefined}>
						<legend className="mb-1 text-sm font-medium">Permissions</legend>
						<div className="grid gap-3 sm:grid-cols-2">
							{RESOURCES.map((resource) => (
								<fieldset key={resource} className="rounded-brand border border-border p-3">
									<legend className="px-1 text-sm font-medium">{resource}</legend>
									<div className="flex flex-wrap gap-x-4">
										{STATEMENTS[resource].map((action) => (
											<CheckboxField
												key={`${form.key}-${resource}-${action}`}
												label={action}
												inputProps={{ id: `statement-${resource}-${action}`, name: fields.statements.name, value: `${resource}:${action}`, defaultChecked: ticked.has(`${resource}:${action}`) }}
											/>
										))}
									</div>
								</fieldset>
							))}
						</div>
						<ErrorList id={fields.statements.errorId} errors={fields.statements.errors} />
					</fieldset>
					<input type="hidden" name="intent" value="save" />
					{canUpdate ? (
						<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
							{role ? 'Save role' : 'Create role'}
						</Button>
					) : null}
				</fieldset>
			</Form>
		</section>
	)
}

type ReplyResult = SubmissionResult<string[]> | null | undefined

function DeleteRoleForm({ problem, errors }: { problem: string | null; errors: ReplyResult }) {
	const [form, fields] = useForm<{ confirm: string }>({ id: 'delete-role', lastResult: errors })
	return (
		<section aria-labelledby="delete-heading" className="rounded-brand border border-danger p-5">
			<h2 id="delete-heading" className="mb-2 text-lg font-semibold">
				Delete this role
			</h2>
			<p className="mb-4 text-sm text-muted">A role that users hold, or that a pending invitation offers, cannot be deleted.</p>
			<Form method="POST" className="flex flex-col gap-4" {...getFormProps(form)}>
				<FormError errors={problem ? [problem] : form.errors} />
				<CheckboxField label="Yes, delete this role" inputProps={getInputProps(fields.confirm, { type: 'checkbox' })} errors={fields.confirm.errors} />
				<input type="hidden" name="intent" value="delete" />
				<Button type="submit" variant="secondary" className="sm:w-auto sm:self-start">
					Delete role
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
