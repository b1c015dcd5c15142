import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { Field, FormError, SelectField } from '../../components/ui/field'
import { Cell, ConsoleNotice, DataTable, Row } from '../../components/ui/data-table'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { createUserFromForm } from './users.server'
import { createUserSchema } from '../../modules/users/admin-user-schemas'
import { grantableRoles, userActor } from '../../modules/permissions/grants.server'
import { listUsersPage, userListQuerySchema, type ListedUser } from '../../modules/users/user-search.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Users · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user, permissions } = await requireOrgPermission(request, context, { user: ['read'] })
	const params = new URL(request.url).searchParams
	const query = userListQuerySchema.safeParse({ q: params.get('q') ?? undefined, cursor: params.get('cursor') || undefined })
	if (!query.success) throw data(query.error.issues[0]?.message ?? 'That search could not be understood.', { status: 400 })
	const canCreate = hasPermission(permissions, { user: ['create'] })
	const canInvite = hasPermission(permissions, { invitation: ['create'] })
	const [page, roles] = await Promise.all([listUsersPage(context.org.id, query.data), canCreate ? grantableRoles(userActor(context.org, user, permissions)) : []])
	return { orgName: context.org.name, q: query.data.q ?? '', deleted: params.has('deleted'), page, roles, canCreate, canInvite }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return createUserFromForm(request, context)
}

export default function UsersPage() {
	const { page, q, deleted, canCreate, canInvite, roles } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Users</h1>
			{deleted && !actionData ? (
				<ConsoleNotice>The user was deleted, with their sessions, factors and app grants.</ConsoleNotice>
			) : null}
			{actionData?.created ? <CreatedUser created={actionData.created} /> : null}
			<Form method="GET" className="flex max-w-xl flex-col gap-2 sm:flex-row sm:items-end">
				<div className="grow">
					<Field label="Search by email" inputProps={{ id: 'user-search', name: 'q', type: 'search', defaultValue: q, maxLength: 254, autoComplete: 'off' }} hint="Matches the start of the address, in any case: “ann” finds ann@example.com." />
				</div>
				<Button type="submit" variant="secondary" className="sm:mb-6 sm:w-auto">
					Search
				</Button>
			</Form>
			<UserTable users={page.users} q={q} />
			<Paging q={q} next={page.next} previous={page.previous} />
			{/* Creating hands out a password; inviting lets the person choose theirs (usually the better way). Search stays the first stop. */}
			{canInvite ? (
				<p className="text-sm">
					Someone new?{' '}
					<Link className="text-link underline" to="/admin/invitations">
						Invite someone by email
					</Link>{' '}
					to let them choose their own password.
				</p>
			) : null}
			{canCreate ? <CreateUserForm roles={roles} /> : null}
		</div>
	)
}

/** Rendered only from the create action's response: the password is never shown again. */
function CreatedUser({ created }: { created: { id: string; email: string; role: string; password: string } }) {
	return (
		<section aria-labelledby="created-heading" data-testid="created-user" className="flex flex-col gap-3 rounded-brand border-2 border-primary bg-surface p-5">
			<h2 id="created-heading" className="text-lg font-semibold">
				User {created.email} created
			</h2>
			<dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
				<dt className="text-sm text-muted">Role</dt>
				<dd className="text-sm">{created.role}</dd>
				<dt className="text-sm text-muted">Password</dt>
				<dd>
					<code className="break-all font-mono text-sm" data-testid="created-password">
						{created.password}
					</code>
				</dd>
			</dl>
			<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
				Copy the password now and give it to the user by a safe channel. It won&apos;t be shown again. They can change it from their account page.
			</p>
			<p className="text-sm">
				<Link className="text-link underline" to={`/admin/users/${encodeURIComponent(created.id)}`}>
					Open the user&apos;s page
				</Link>
			</p>
		</section>
	)
}

const dateOnly = (iso: string | null) => (iso ? <time dateTime={iso}>{iso.slice(0, 10)}</time> : <span className="text-muted">never</span>)

function UserTable({ users, q }: { users: ListedUser[]; q: string }) {
	return (
		<DataTable
			caption="Users of this organization, by email"
			columns={['Email', 'Role', 'Status', 'MFA', 'Created', 'Last sign-in']}
			rows={users}
			empty={q ? `No user's email starts with “${q}”.` : 'No users on this page.'}
		>
			{(user) => (
				<Row key={user.id} data-testid="user-row">
					<Cell className="break-all">
						<Link className="font-medium text-link underline" to={`/admin/users/${encodeURIComponent(user.id)}`}>
							{user.email}
						</Link>
					</Cell>
					<Cell>{user.role}</Cell>
					<Cell>{user.disabled ? 'disabled' : 'active'}</Cell>
					<Cell>{user.mfa ? 'yes' : 'no'}</Cell>
					<Cell>{dateOnly(user.createdAt)}</Cell>
					<Cell>{dateOnly(user.lastSignInAt)}</Cell>
				</Row>
			)}
		</DataTable>
	)
}

function Paging({ q, next, previous }: { q: string; next: string | null; previous: string | null }) {
	if (!next && !previous) return null
	const href = (cursor: string) => `/admin/users?${new URLSearchParams(q ? { q, cursor } : { cursor })}`
	return (
		<nav aria-label="Pages of users" className="flex gap-6 text-sm">
			{previous ? (
				<Link className="text-link underline" to={href(previous)} rel="prev">
					Previous
				</Link>
			) : null}
			{next ? (
				<Link className="text-link underline" to={href(next)} rel="next">
					Next
				</Link>
			) : null}
		</nav>
	)
}

function CreateUserForm({ roles }: { roles: string[] }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const schema = createUserSchema(roles)
	const [form, fields] = useForm({
		id: 'create-user',
		lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
		defaultValue: { role: 'member' },
		shouldValidate: 'onSubmit',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
	})
	const { key: _key, ...roleSelect } = getSelectProps(fields.role)
	return (
		<section aria-labelledby="create-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="create-heading" className="mb-4 text-lg font-semibold">
				Create a user
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Email" inputProps={{ ...getInputProps(fields.email, { type: 'email' }), maxLength: 254, autoComplete: 'off' }} errors={fields.email.errors} />
				<SelectField label="Role" selectProps={roleSelect} options={roles} errors={fields.role.errors} />
				<p className="text-sm text-muted">A password is generated and shown once, after the user is created.</p>
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Create user
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
