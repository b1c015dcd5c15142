import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { Cell, ConsoleNotice, DataTable, Row } from '../../components/ui/data-table'
import { Field, FormError } from '../../components/ui/field'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { createTeam, listTeams, TeamNameTakenError, teamFormSchema } from '../../modules/teams/teams.server'
import { readFormData } from '../../utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Teams · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { permissions } = await requireOrgPermission(request, context, { team: ['read'] })
	return {
		orgName: context.org.name,
		deleted: new URL(request.url).searchParams.has('deleted'),
		canCreate: hasPermission(permissions, { team: ['create'] }),
		teams: await listTeams(context.org.id),
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const { user } = await requireOrgPermission(request, context, { team: ['create'] })
	const submission = parseWithZod(await readFormData(request), { schema: teamFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	let team: { id: string }
	try {
		team = await createTeam(context.org.id, submission.value, { actorId: user.id, ip: context.ip, userAgent: context.userAgent })
	} catch (error) {
		if (error instanceof TeamNameTakenError) return data({ result: submission.reply({ fieldErrors: { name: [error.message] } }) }, { status: 409 })
		throw error
	}
	throw redirect(`/admin/teams/${encodeURIComponent(team.id)}?created=1`)
}

export default function TeamsPage() {
	const { teams, deleted, canCreate } = useLoaderData<typeof loader>()
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Teams</h1>
			{deleted ? <ConsoleNotice>The team was deleted.</ConsoleNotice> : null}
			<DataTable caption="Teams of this organization" columns={['Name', 'Description', 'Members']} rows={teams} empty="No teams yet.">
				{(team) => (
					<Row key={team.id}>
						<Cell>
							<Link className="font-medium text-link underline" to={`/admin/teams/${encodeURIComponent(team.id)}`}>
								{team.name}
							</Link>
						</Cell>
						<Cell>{team.description}</Cell>
						<Cell>{team.members}</Cell>
					</Row>
				)}
			</DataTable>
			{canCreate ? <CreateTeamForm /> : null}
		</div>
	)
}

function CreateTeamForm() {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm<{ name: string; description: string }>({ id: 'create-team', lastResult: navigation.state === 'idle' ? actionData?.result : undefined })
	return (
		<section aria-labelledby="create-team-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="create-team-heading" className="mb-4 text-lg font-semibold">
				Create a team
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 100, autoComplete: 'off' }} errors={fields.name.errors} />
				<Field label="Description" inputProps={{ ...getInputProps(fields.description, { type: 'text' }), maxLength: 500, autoComplete: 'off' }} errors={fields.description.errors} />
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Create team
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
