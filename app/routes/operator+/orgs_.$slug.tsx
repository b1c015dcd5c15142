import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { Field, FormError, TextareaField } from '../../components/ui/field'
import { ConsoleNotice } from '../../components/ui/data-table'
import { changeOrgFromForm, requireOrgDetails } from './orgs.server'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.org.name ?? 'Organization'} · Operator` }]

/** org: ['read'] to see; suspending and resuming (the action) need org: ['update']. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
	const { permissions } = await requireOperatorPermission(request, context, { org: ['read'] })
	const org = await requireOrgDetails(params.slug)
	const search = new URL(request.url).searchParams
	const notice = (['suspended', 'resumed', 'invited', 'senderDomains'] as const).find((key) => search.has(key)) ?? null
	return { org, canUpdate: hasPermission(permissions, { org: ['update'] }), notice }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	return changeOrgFromForm(request, context, params.slug)
}

const NOTICES = {
	suspended: (name: string) => `${name} is suspended: its pages answer “not available” and its tokens no longer work.`,
	resumed: (name: string) => `${name} is active again.`,
	invited: (name: string) => `The invitation to join ${name} as owner was sent.`,
	senderDomains: (name: string) => `The sender domains of ${name} were saved.`,
}

export default function OrgPage() {
	const { org, canUpdate, notice } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const suspended = org.suspendedAt !== null
	return (
		<div className="flex flex-col gap-8">
			<div>
				<p className="mb-2 text-sm">
					<Link className="text-link underline" to="/operator/orgs">
						← All organizations
					</Link>
				</p>
				<h1 className="text-2xl font-semibold break-words">{org.name}</h1>
			</div>
			{notice && !actionData ? (
				<ConsoleNotice>{NOTICES[notice](org.name)}</ConsoleNotice>
			) : null}
			<dl className="grid gap-x-6 gap-y-2 rounded-brand border border-border bg-surface p-5 sm:grid-cols-[max-content_1fr]">
				<dt className="text-sm text-muted">Slug</dt>
				<dd className="font-mono text-sm">{org.slug}</dd>
				<dt className="text-sm text-muted">Host</dt>
				<dd className="text-sm">
					<a className="text-link underline break-all" href={`${org.origin}/login`}>
						{org.origin}
					</a>
				</dd>
				<dt className="text-sm text-muted">Status</dt>
				<dd className="text-sm" data-testid="org-status">
					{suspended ? `Suspended since ${org.suspendedAt!.replace('T', ' ').slice(0, 16)} UTC` : 'Active'}
				</dd>
				<dt className="text-sm text-muted">Created</dt>
				<dd className="text-sm">
					<time dateTime={org.createdAt}>{org.createdAt.slice(0, 10)}</time>
				</dd>
				<dt className="text-sm text-muted">Brand colour</dt>
				<dd className="flex items-center gap-2 font-mono text-sm">
					<span aria-hidden="true" className="inline-block h-4 w-4 rounded border border-border" style={{ backgroundColor: org.brandColor }} />
					{org.brandColor}
				</dd>
				<dt className="text-sm text-muted">Users</dt>
				<dd className="text-sm tabular-nums">{org.users}</dd>
				<dt className="text-sm text-muted">Pending invitations</dt>
				<dd className="text-sm tabular-nums">{org.pendingInvitations}</dd>
				<dt className="text-sm text-muted">Apps</dt>
				<dd className="text-sm tabular-nums">{org.apps}</dd>
				<dt className="text-sm text-muted">Custom domains</dt>
				<dd className="text-sm">{org.domains.length ? org.domains.map((domain) => `${domain.hostname}${domain.verified ? '' : ' (unverified)'}${domain.primary ? ' (primary)' : ''}`).join(', ') : 'None'}</dd>
				<dt className="text-sm text-muted">Sender domains</dt>
				<dd className="text-sm break-words" data-testid="sender-domains">
					{org.senderDomains.length ? org.senderDomains.join(', ') : 'None: email goes from the platform sender'}
				</dd>
				<dt className="text-sm text-muted">Email sent from</dt>
				<dd className="text-sm break-all">{org.senderAddress}</dd>
			</dl>
			{org.isOperator ? (
				<p className="text-sm text-muted">This is the operator organization: it serves this console and cannot be suspended.</p>
			) : canUpdate ? (
				<section aria-labelledby="status-heading" className="flex flex-col gap-3 rounded-brand border border-border bg-surface p-5">
					<h2 id="status-heading" className="text-lg font-semibold">
						{suspended ? 'Resume' : 'Suspend'}
					</h2>
					<p className="text-sm">
						{suspended
							? 'Resuming serves its sign-in pages again; tokens that have not expired work again.'
							: 'While suspended, every page of its hosts says “This sign-in page is not available right now.”, discovery and every OIDC endpoint refuse, and the tokens it issued stop working. Nothing is deleted.'}
					</p>
					<FormError errors={actionData && actionData.intent !== 'invite' && actionData.intent !== 'sender-domains' ? [actionData.error] : undefined} />
					<Form method="POST">
						<Button type="submit" name="intent" value={suspended ? 'resume' : 'suspend'} variant={suspended ? 'primary' : 'secondary'} className="sm:w-auto" disabled={navigation.state === 'submitting'}>
							{suspended ? `Resume ${org.name}` : `Suspend ${org.name}`}
						</Button>
					</Form>
				</section>
			) : null}
			{canUpdate ? (
				<section aria-labelledby="sender-domains-heading" className="flex flex-col gap-3 rounded-brand border border-border bg-surface p-5">
					<h2 id="sender-domains-heading" className="text-lg font-semibold">
						Email sender domains
					</h2>
					<p className="text-sm">
						The domains {org.name}&apos;s admins may send email from (their sender address setting), through this platform&apos;s mail relay. Allow only domains the organization owns and whose SPF and DKIM cover the relay. Each domain
						counts exactly: allowing example.com does not allow mail.example.com. Removing a domain takes effect on the next message: email goes from the platform sender instead.
					</p>
					<Form method="POST" className="flex max-w-xl flex-col gap-4">
						<TextareaField
							label="Sender domains"
							textareaProps={{ id: 'sender-domains', name: 'senderDomains', rows: 3, defaultValue: org.senderDomains.join('\n'), autoComplete: 'off', spellCheck: false }}
							hint="One per line (or separated by commas); leave empty to allow none."
							errors={actionData?.intent === 'sender-domains' ? [actionData.error] : undefined}
						/>
						<Button type="submit" name="intent" value="sender-domains" variant="secondary" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
							Save sender domains
						</Button>
					</Form>
				</section>
			) : null}
			{canUpdate && !suspended ? (
				<section aria-labelledby="invite-heading" className="flex flex-col gap-3 rounded-brand border border-border bg-surface p-5">
					<h2 id="invite-heading" className="text-lg font-semibold">
						Invite an owner
					</h2>
					<p className="text-sm">For when the first admin&apos;s invitation was lost or has expired: a new one replaces any pending one for the address.</p>
					<Form method="POST" className="flex max-w-xl flex-col gap-4">
						<Field label="Email" inputProps={{ name: 'email', type: 'email', autoComplete: 'off', required: true }} errors={actionData?.intent === 'invite' ? [actionData.error] : undefined} />
						<Button type="submit" name="intent" value="invite" variant="secondary" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
							Send invitation
						</Button>
					</Form>
				</section>
			) : null}
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
