import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ConsoleNotFoundBoundary } from '../../components/console-layout'
import { Button } from '../../components/ui/button'
import { CheckboxField, FormError, SelectField } from '../../components/ui/field'
import { ConsoleNotice } from '../../components/ui/data-table'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { changeUserFromForm, userNotFound } from './users.server'
import { changeRoleSchema, deleteUserSchema, DONE_MESSAGES, type Intent } from '../../modules/users/admin-user-schemas'
import { grantableRoles, mayActOn, userActor } from '../../modules/permissions/grants.server'
import { findOrgUser, loadUserDetail } from '../../modules/users/user-detail.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.email ?? 'User'} · Users · ${data?.orgName ?? ''}` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
	const { user: current, session, permissions } = await requireOrgPermission(request, context, { user: ['read'] })
	const actor = userActor(context.org, current, permissions)
	const user = await findOrgUser(context.org.id, params.userId)
	if (!user) userNotFound()
	const [detail, roles, covers] = await Promise.all([loadUserDetail(context, user, session.id), grantableRoles(actor), mayActOn(actor, user.role)])
	const actsOn = actor.id === user.id || covers
	const done = new URL(request.url).searchParams.get('done')
	return {
		orgName: context.org.name,
		done: done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null,
		self: actor.id === user.id,
		// What the buttons offer; the action checks again.
		may: {
			update: hasPermission(permissions, { user: ['update'] }) && actsOn,
			delete: hasPermission(permissions, { user: ['delete'] }) && actsOn,
		},
		roles: roles.includes(user.role) ? roles : [user.role, ...roles],
		user: {
			id: user.id,
			email: user.email,
			name: user.name,
			role: user.role,
			emailVerified: user.emailVerified,
			disabled: user.disabledAt !== null,
			hasPassword: user.password !== null,
			createdAt: user.createdAt.toISOString(),
		},
		...detail,
	}
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	return changeUserFromForm(request, context, params.userId)
}

type Loaded = Awaited<ReturnType<typeof loader>>

export default function UserPage() {
	const loaded = useLoaderData<typeof loader>()
	const { user, done, may, self } = loaded
	const actionData = useActionData<typeof action>()
	return (
		<div className="flex flex-col gap-8">
			<div>
				<p className="mb-2 text-sm">
					<Link className="text-link underline" to="/admin/users">
						← All users
					</Link>
				</p>
				<h1 className="text-2xl font-semibold break-all">{user.email}</h1>
			</div>
			{done && !actionData ? (
				<ConsoleNotice>{done}</ConsoleNotice>
			) : null}
			<ActionRefusal shownInForm={(actionData?.intent === 'change-role' && may.update) || (actionData?.intent === 'delete' && may.delete && !self)} />
			<Details user={user} factors={loaded.factors} />
			<Sessions sessions={loaded.sessions} />
			{may.update ? <UpdateActions user={user} roles={loaded.roles} self={self} /> : null}
			{may.delete && !self ? <DeleteUserForm email={user.email} /> : null}
			<Events events={loaded.events} userId={user.id} />
		</div>
	)
}

/** A refusal (403, 409) of a button, or of a form this admin is not shown, said at the top of the page. */
function ActionRefusal({ shownInForm }: { shownInForm: boolean }) {
	const actionData = useActionData<typeof action>()
	if (!actionData || shownInForm) return null
	return <FormError errors={actionData.result.error?.['']} />
}

function Details({ user, factors }: { user: Loaded['user']; factors: Loaded['factors'] }) {
	const factorList = [factors.totp ? 'authenticator app' : null, factors.passkeys ? `${factors.passkeys} passkey${factors.passkeys === 1 ? '' : 's'}` : null, factors.phone ? `text message to ${factors.phone}` : null].filter(Boolean)
	return (
		<dl className="grid gap-x-6 gap-y-2 rounded-brand border border-border bg-surface p-5 sm:grid-cols-[max-content_1fr]">
			<dt className="text-sm text-muted">Status</dt>
			<dd className="text-sm" data-testid="user-status">
				{user.disabled ? 'disabled' : 'active'}
			</dd>
			<dt className="text-sm text-muted">Role</dt>
			<dd className="text-sm" data-testid="user-role">
				{user.role}
			</dd>
			<dt className="text-sm text-muted">Email verified</dt>
			<dd className="text-sm">{user.emailVerified ? 'yes' : 'no'}</dd>
			<dt className="text-sm text-muted">Password</dt>
			<dd className="text-sm">{user.hasPassword ? 'set' : 'none'}</dd>
			<dt className="text-sm text-muted">Second factors</dt>
			<dd className="text-sm" data-testid="user-factors">
				{factorList.length ? factorList.join(', ') : 'none'}
				{factors.backupCodesLeft ? ` (${factors.backupCodesLeft} backup codes left)` : ''}
			</dd>
			<dt className="text-sm text-muted">Created</dt>
			<dd className="text-sm">
				<time dateTime={user.createdAt}>{user.createdAt.slice(0, 10)}</time>
			</dd>
		</dl>
	)
}

function Sessions({ sessions }: { sessions: Loaded['sessions'] }) {
	return (
		<section aria-labelledby="sessions-heading">
			<h2 id="sessions-heading" className="mb-2 text-lg font-semibold">
				Live sessions
			</h2>
			{sessions.length === 0 ? (
				<p className="text-sm text-muted">Not signed in anywhere.</p>
			) : (
				<ul className="flex flex-col gap-1 text-sm" data-testid="user-sessions">
					{sessions.map((session) => (
						<li key={session.id}>
							{session.device}
							{session.ip ? `, ${session.ip}` : ''}, signed in <time dateTime={session.createdAt}>{session.createdAt.slice(0, 16).replace('T', ' ')}</time>, last seen{' '}
							<time dateTime={session.lastSeenAt}>{session.lastSeenAt.slice(0, 16).replace('T', ' ')}</time>
							{session.current ? ' (this device)' : ''}
						</li>
					))}
				</ul>
			)}
		</section>
	)
}

/** One button a form: each works without JavaScript and posts only its intent. */
function IntentButton({ intent, label, hint }: { intent: Intent; label: string; hint: string }) {
	return (
		<Form method="POST" className="flex flex-col gap-1 sm:flex-row sm:items-center sm:gap-4">
			<input type="hidden" name="intent" value={intent} />
			<Button type="submit" variant="secondary" className="sm:w-56 sm:shrink-0">
				{label}
			</Button>
			<p className="text-sm text-muted">{hint}</p>
		</Form>
	)
}

function UpdateActions({ user, roles, self }: { user: Loaded['user']; roles: string[]; self: boolean }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'change-role',
		lastResult: navigation.state === 'idle' && actionData?.intent === 'change-role' ? actionData.result : undefined,
		defaultValue: { role: user.role },
		shouldValidate: 'onSubmit',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: changeRoleSchema }),
	})
	const { key: _key, ...roleSelect } = getSelectProps(fields.role)
	return (
		<section aria-labelledby="actions-heading" className="flex flex-col gap-4 rounded-brand border border-border bg-surface p-5">
			<h2 id="actions-heading" className="text-lg font-semibold">
				Manage
			</h2>
			<Form method="POST" className="flex flex-col gap-2 sm:flex-row sm:items-end sm:gap-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="change-role" />
				<SelectField label="Role" selectProps={roleSelect} options={roles} errors={fields.role.errors} />
				<Button type="submit" variant="secondary" className="sm:w-auto">
					Change role
				</Button>
			</Form>
			<FormError id={form.errorId} errors={form.errors} />
			{self ? null : user.disabled ? (
				<IntentButton intent="enable" label="Enable" hint="Lets the user sign in again." />
			) : (
				<IntentButton intent="disable" label="Disable" hint="Ends every session and signs the user out of every app; they cannot sign in until enabled." />
			)}
			<IntentButton intent="force-password-reset" label="Force password reset" hint="Removes the password, ends every session, signs the user out of every app and emails a reset link." />
			<IntentButton intent="revoke-sessions" label="Sign out everywhere" hint="Ends every session of the user and signs them out of every app." />
			<IntentButton intent="remove-factors" label="Remove second factors" hint="Deletes the authenticator app, passkeys, phone and backup codes, and signs the user out of every app." />
		</section>
	)
}

function DeleteUserForm({ email }: { email: string }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'delete-user',
		lastResult: navigation.state === 'idle' && actionData?.intent === 'delete' ? actionData.result : undefined,
		shouldValidate: 'onSubmit',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteUserSchema }),
	})
	return (
		<section aria-labelledby="delete-heading" className="rounded-brand border border-danger p-5">
			<h2 id="delete-heading" className="mb-2 text-base font-semibold">
				Delete this user
			</h2>
			<p className="mb-4 text-sm text-muted">The account, its sessions, factors and app grants are deleted. The audit log keeps its events. This cannot be undone.</p>
			<Form method="POST" className="flex flex-col gap-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="delete" />
				<FormError id={form.errorId} errors={form.errors} />
				<CheckboxField label={`I understand: delete ${email}.`} inputProps={getInputProps(fields.confirm, { type: 'checkbox' })} errors={fields.confirm.errors} />
				<Button type="submit" variant="secondary" className="sm:w-auto sm:self-start">
					Delete user
				</Button>
			</Form>
		</section>
	)
}

function Events({ events, userId }: { events: Loaded['events']; userId: string }) {
	return (
		<section aria-labelledby="events-heading">
			<h2 id="events-heading" className="mb-2 text-lg font-semibold">
				Recent activity
			</h2>
			{events.length === 0 ? (
				<p className="text-sm text-muted">No events yet.</p>
			) : (
				<ol className="flex flex-col gap-1 text-sm" data-testid="user-events">
					{events.map((event) => (
						<li key={event.id}>
							<time dateTime={event.createdAt}>{event.createdAt.slice(0, 19).replace('T', ' ')}</time> <code className="font-mono">{event.type}</code>
							{event.actorId && event.actorId !== userId ? ' (by an admin)' : ''}
							{event.ip ? `, ${event.ip}` : ''}
						</li>
					))}
				</ol>
			)}
		</section>
	)
}

export function ErrorBoundary() {
	return <ConsoleNotFoundBoundary what="user" backTo="/admin/users" backLabel="Back to all users" />
}
