import { getFormProps, getInputProps, useForm, type DefaultValue, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { CheckboxField, Field, FormError } from '../../components/ui/field'
import { ConsoleNotice } from '../../components/ui/data-table'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import {
	addTeamMember,
	deleteTeam,
	getTeam,
	memberFormSchema,
	NoUserHereError,
	removeTeamMember,
	TeamNameTakenError,
	TeamNotFoundError,
	teamFormSchema,
	updateTeam,
} from '../../modules/teams/teams.server'
import { readFormData } from '../../utils/forms.server'

const ID = /^[A-Za-z0-9_-]{1,100}$/
const NO_SUCH_TEAM = 'No such team in this organization.'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? 'Team'} · Teams · ${data?.orgName ?? ''}` }]

async function requireTeam(organizationId: string, teamId: string | undefined) {
	if (!teamId || !ID.test(teamId)) throw data(NO_SUCH_TEAM, { status: 404 })
	try {
		return await getTeam(organizationId, teamId)
	} catch (error) {
		if (error instanceof TeamNotFoundError) throw data(NO_SUCH_TEAM, { status: 404 })
		throw error
	}
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
	const { permissions } = await requireOrgPermission(request, context, { team: ['read'] })
	const team = await requireTeam(context.org.id, params.teamId)
	const search = new URL(request.url).searchParams
	return {
		orgName: context.org.name,
		notice: search.has('created') ? 'Team created.' : search.has('saved') ? 'Changes saved.' : null,
		canUpdate: hasPermission(permissions, { team: ['update'] }),
		canDelete: hasPermission(permissions, { team: ['delete'] }),
		team: { ...team, members: team.members.map((member) => ({ ...member, addedAt: member.addedAt.toISOString() })) },
	}
}

const deleteSchema = z.object({ confirm: z.literal('on', { error: 'Tick the box to confirm the deletion.' }) })
const removeSchema = z.object({ userId: z.string().regex(ID, 'No such member') })

type Result = { intent: string; result: SubmissionResult<string[]> | null; notice?: string }

export async function action({ request, context, params }: ActionFunctionArgs) {
	const { user, permissions } = await requireOrgPermission(request, context, { team: ['read'] })
	const team = await requireTeam(context.org.id, params.teamId)
	const audit = { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
	const formData = await readFormData(request)
	const intent = String(formData.get('intent') ?? '')
	const here = `/admin/teams/${encodeURIComponent(team.id)}`
	const fail = (body: Result, status: number) => data<Result>(body, { status })
	try {
		switch (intent) {
			case 'update': {
				assertPermission(permissions, { team: ['update'] })
				const submission = parseWithZod(formData, { schema: teamFormSchema })
				if (submission.status !== 'success') return fail({ intent, result: submission.reply() }, 400)
				try {
					await updateTeam(context.org.id, team.id, submission.value, audit)
				} catch (error) {
					if (error instanceof TeamNameTakenError) return fail({ intent, result: submission.reply({ fieldErrors: { name: [error.message] } }) }, 409)
					throw error
				}
				throw redirect(`${here}?saved=1`)
			}
			case 'delete': {
				assertPermission(permissions, { team: ['delete'] })
				const submission = parseWithZod(formData, { schema: deleteSchema })
				if (submission.status !== 'success') return fail({ intent, result: submission.reply() }, 400)
				await deleteTeam(context.org.id, team.id, audit)
				throw redirect('/admin/teams?deleted=1')
			}
			case 'add-member': {
				assertPermission(permissions, { team: ['update'] })
				const submission = parseWithZod(formData, { schema: memberFormSchema })
				if (submission.status !== 'success') return fail({ intent, result: submission.reply() }, 400)
				try {
					const added = await addTeamMember(context.org.id, team.id, submission.value.email, audit)
					return { intent, result: submission.reply({ resetForm: true }), notice: added ? `${submission.value.email} was added.` : `${submission.value.email} is already a member.` }
				} catch (error) {
					if (error instanceof NoUserHereError) return fail({ intent, result: submission.reply({ fieldErrors: { email: [error.message] } }) }, 400)
					throw error
				}
			}
			case 'remove-member': {
				assertPermission(permissions, { team: ['update'] })
				const submission = parseWithZod(formData, { schema: removeSchema })
				if (submission.status !== 'success') return fail({ intent, result: submission.reply() }, 400)
				const removed = await removeTeamMember(context.org.id, team.id, submission.value.userId, audit)
				if (!removed) return fail({ intent, result: submission.reply({ formErrors: ['That user is not a member of this team.'] }) }, 404)
				return { intent, result: null, notice: 'Member removed.' }
			}
			default:
				throw data('That action is not available here.', { status: 400 })
		}
	} catch (error) {
		if (error instanceof TeamNotFoundError) throw data(NO_SUCH_TEAM, { status: 404 })
		throw error
	}
}

export default function TeamPage() {
	const { team, notice, canUpdate, canDelete } = useLoaderData<typeof loader>()
	const actionData = useActionData<Result>()
	const message = actionData?.notice ?? (!actionData ? notice : null)
	return (
		<div className="flex flex-col gap-8">
			<div>
				<p className="mb-2 text-sm">
					<Link className="text-link underline" to="/admin/teams">
						← All teams
					</Link>
				</p>
				<h1 className="text-2xl font-semibold break-words">{team.name}</h1>
				{team.description ? <p className="text-muted">{team.description}</p> : null}
			</div>
			{message ? (
				<ConsoleNotice>{message}</ConsoleNotice>
			) : null}
			<Members />
			{canUpdate ? <EditTeamForm /> : null}
			{canDelete ? <DeleteTeamForm /> : null}
		</div>
	)
}

function useIntentForm<Fields extends Record<string, string>>(id: string, intent: string, defaultValue?: Fields) {
	const actionData = useActionData<Result>()
	const navigation = useNavigation()
	return useForm<Fields>({ id, defaultValue: defaultValue as DefaultValue<Fields> | undefined, lastResult: navigation.state === 'idle' && actionData?.intent === intent ? actionData.result : undefined })
}

function Members() {
	const { team, canUpdate } = useLoaderData<typeof loader>()
	const actionData = useActionData<Result>()
	const [form, fields] = useIntentForm<{ email: string }>('add-member', 'add-member')
	const removeError = actionData?.intent === 'remove-member' ? actionData.result?.error?.[''] : undefined
	return (
		<section aria-labelledby="members-heading" className="flex flex-col gap-3">
			<h2 id="members-heading" className="text-lg font-semibold">
				Members
			</h2>
			<FormError errors={removeError} />
			{team.members.length === 0 ? (
				<p className="text-muted">No members yet.</p>
			) : (
				<ul className="flex flex-col divide-y divide-border rounded-brand border border-border bg-surface">
					{team.members.map((member) => (
						<li key={member.userId} className="flex items-center justify-between gap-4 px-4 py-2 text-sm">
							<span className="break-all">
								{member.email}
								{member.name ? <span className="ml-2 text-muted">{member.name}</span> : null}
							</span>
							{canUpdate ? (
								<Form method="POST">
									<input type="hidden" name="intent" value="remove-member" />
									<input type="hidden" name="userId" value={member.userId} />
									<Button type="submit" variant="secondary" className="sm:w-auto" aria-label={`Remove ${member.email}`}>
										Remove
									</Button>
								</Form>
							) : null}
						</li>
					))}
				</ul>
			)}
			{canUpdate ? (
				<Form method="POST" className="flex max-w-xl flex-col gap-3" {...getFormProps(form)}>
					<FormError id={form.errorId} errors={form.errors} />
					<Field label="Email" inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'off' }} errors={fields.email.errors} hint="A user of this organization." />
					<input type="hidden" name="intent" value="add-member" />
					<Button type="submit" className="sm:w-auto sm:self-start">
						Add member
					</Button>
				</Form>
			) : null}
		</section>
	)
}

function EditTeamForm() {
	const { team } = useLoaderData<typeof loader>()
	const [form, fields] = useIntentForm('edit-team', 'update', { name: team.name, description: team.description })
	return (
		<section aria-labelledby="edit-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="edit-heading" className="mb-4 text-lg font-semibold">
				Settings
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 100, autoComplete: 'off' }} errors={fields.name.errors} />
				<Field label="Description" inputProps={{ ...getInputProps(fields.description, { type: 'text' }), maxLength: 500, autoComplete: 'off' }} errors={fields.description.errors} />
				<input type="hidden" name="intent" value="update" />
				<Button type="submit" className="sm:w-auto sm:self-start">
					Save team
				</Button>
			</Form>
		</section>
	)
}

function DeleteTeamForm() {
	const [form, fields] = useIntentForm<{ confirm: string }>('delete-team', 'delete')
	return (
		<section aria-labelledby="delete-heading" className="rounded-brand border border-danger p-5">
			<h2 id="delete-heading" className="mb-4 text-lg font-semibold">
				Delete this team
			</h2>
			<Form method="POST" className="flex flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<CheckboxField label="Yes, delete this team" inputProps={getInputProps(fields.confirm, { type: 'checkbox' })} errors={fields.confirm.errors} hint="Its members keep their accounts." />
				<input type="hidden" name="intent" value="delete" />
				<Button type="submit" variant="secondary" className="sm:w-auto sm:self-start">
					Delete team
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
