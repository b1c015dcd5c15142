import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { Field, FormError, SelectField } from '../../components/ui/field'
import { Cell, ConsoleNotice, DataTable, Row } from '../../components/ui/data-table'
import { InvitationClosedError, InvitationGrantError, InvitationLimitError, InvitationNotFoundError, inviteUser, listInvitations, resendInvitation, revokeInvitation } from '../../modules/invitations/invitations.server'
import { grantableRoles, userActor } from '../../modules/permissions/grants.server'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { emailSchema } from '../../modules/users/email'
import { readFormData } from '../../utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Invitations · ${data?.orgName ?? ''}` }]

const NO_SUCH_INVITATION = 'No such invitation in this organization.'

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user, permissions } = await requireOrgPermission(request, context, { invitation: ['read'] })
	const invitations = await listInvitations(context.org.id)
	return {
		orgName: context.org.name,
		canCreate: hasPermission(permissions, { invitation: ['create'] }),
		canDelete: hasPermission(permissions, { invitation: ['delete'] }),
		roles: await grantableRoles(userActor(context.org, user, permissions)),
		invitations: invitations.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() })),
	}
}

const sendSchema = z.object({
	email: emailSchema,
	role: z.string({ error: 'Choose a role' }).trim().min(1, 'Choose a role').max(50, 'No such role in this organization.'),
})
const rowSchema = z.object({ invitationId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, NO_SUCH_INVITATION) })

type Result = { intent: string; result: SubmissionResult<string[]> | null; notice?: string; problem?: string }

/** The layout's no-store, plus Retry-After when a send was refused by the invitation limits. */
export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
	const merged = new Headers(parentHeaders)
	const retryAfter = actionHeaders.get('Retry-After')
	if (retryAfter) merged.set('Retry-After', retryAfter)
	return merged
}

export async function action({ request, context }: ActionFunctionArgs) {
	const { user, permissions } = await requireOrgPermission(request, context, { invitation: ['read'] })
	const formData = await readFormData(request)
	const intent = String(formData.get('intent') ?? '')
	const inviteContext = { org: context.org, actorId: user.id, ip: context.ip, userAgent: context.userAgent }
	const actor = userActor(context.org, user, permissions)
	const fail = (body: Result, status: number) => data<Result>(body, { status })

	if (intent === 'send') {
		assertPermission(permissions, { invitation: ['create'] })
		const submission = parseWithZod(formData, { schema: sendSchema })
		if (submission.status !== 'success') return fail({ intent, result: submission.reply() }, 400)
		const sent = await inviteUser(inviteContext, { email: submission.value.email, role: submission.value.role, by: actor })
		if (!sent.ok) {
			if (sent.status === 429) return data<Result>({ intent, result: submission.reply({ formErrors: [sent.message] }) }, { status: 429, headers: { 'Retry-After': String(sent.retryAfterSeconds) } })
			return fail({ intent, result: submission.reply({ fieldErrors: { [sent.field]: [sent.message] } }) }, sent.status)
		}
		return data<Result>({ intent, result: submission.reply({ resetForm: true }), notice: `Invitation sent to ${submission.value.email}.` }, { status: 201 })
	}

	if (intent === 'resend' || intent === 'revoke') {
		assertPermission(permissions, intent === 'resend' ? { invitation: ['create'] } : { invitation: ['delete'] })
		const parsed = rowSchema.safeParse({ invitationId: formData.get('invitationId') })
		if (!parsed.success) throw data(NO_SUCH_INVITATION, { status: 404 })
		try {
			if (intent === 'revoke') {
				const revoked = await revokeInvitation(inviteContext, parsed.data.invitationId)
				return { intent, result: null, notice: `The invitation to ${revoked.email} was revoked.` }
			}
			const resent = await resendInvitation(inviteContext, parsed.data.invitationId, actor)
			return { intent, result: null, notice: `A new link was sent to ${resent.email}. The old one no longer works.` }
		} catch (error) {
			if (error instanceof InvitationNotFoundError) throw data(NO_SUCH_INVITATION, { status: 404 })
			if (error instanceof InvitationClosedError) return fail({ intent, result: null, problem: error.message }, 409)
			if (error instanceof InvitationGrantError) return fail({ intent, result: null, problem: error.message }, 403)
			if (error instanceof InvitationLimitError) return data<Result>({ intent, result: null, problem: error.message }, { status: 429, headers: { 'Retry-After': String(error.retryAfterSeconds) } })
			throw error
		}
	}

	throw data('That action is not available here.', { status: 400 })
}

const STATUS_LABEL = { pending: 'Pending', accepted: 'Accepted', expired: 'Expired', revoked: 'Revoked' } as const

export default function InvitationsPage() {
	const { invitations, canCreate, canDelete } = useLoaderData<typeof loader>()
	const actionData = useActionData<Result>()
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Invitations</h1>
			{actionData?.notice ? (
				<ConsoleNotice>{actionData.notice}</ConsoleNotice>
			) : null}
			{actionData?.problem ? <FormError errors={[actionData.problem]} /> : null}
			{canCreate ? <SendInvitationForm /> : null}
			<DataTable caption="Invitations to this organization" columns={['Email', 'Role', 'Status', 'Expires', { label: 'Actions', hidden: true }]} rows={invitations} empty="No invitations yet.">
				{(row) => (
					<Row key={row.id} data-testid="invitation-row">
						<Cell className="break-all">{row.email}</Cell>
						<Cell>{row.role}</Cell>
						<Cell>{STATUS_LABEL[row.status]}</Cell>
						<Cell>
							<time dateTime={row.expiresAt}>{row.expiresAt.slice(0, 10)}</time>
						</Cell>
						<Cell className="flex gap-2">
							{canCreate && (row.status === 'pending' || row.status === 'expired') ? <RowAction id={row.id} intent="resend" label="Resend" email={row.email} /> : null}
							{canDelete && row.status === 'pending' ? <RowAction id={row.id} intent="revoke" label="Revoke" email={row.email} /> : null}
						</Cell>
					</Row>
				)}
			</DataTable>
		</div>
	)
}

function RowAction({ id, intent, label, email }: { id: string; intent: string; label: string; email: string }) {
	return (
		<Form method="POST">
			<input type="hidden" name="intent" value={intent} />
			<input type="hidden" name="invitationId" value={id} />
			<Button type="submit" variant="secondary" className="sm:w-auto" aria-label={`${label} the invitation to ${email}`}>
				{label}
			</Button>
		</Form>
	)
}

function SendInvitationForm() {
	const { roles } = useLoaderData<typeof loader>()
	const actionData = useActionData<Result>()
	const navigation = useNavigation()
	const [form, fields] = useForm<{ email: string; role: string }>({
		id: 'send-invitation',
		defaultValue: { role: 'member' },
		lastResult: navigation.state === 'idle' && actionData?.intent === 'send' ? actionData.result : undefined,
	})
	const { key: roleKey, ...roleSelect } = getSelectProps(fields.role)
	return (
		<section aria-labelledby="send-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="send-heading" className="mb-4 text-lg font-semibold">
				Invite someone
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Email" inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'off' }} errors={fields.email.errors} hint="The link in the email works once and for 7 days." />
				<SelectField key={roleKey} label="Role" selectProps={roleSelect} options={roles} errors={fields.role.errors} />
				<input type="hidden" name="intent" value="send" />
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Send invitation
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
