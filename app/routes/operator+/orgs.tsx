import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { Field, FormError } from '../../components/ui/field'
import { Cell, DataTable, Row } from '../../components/ui/data-table'
import { listOrgsPage, type OrgListing } from '../../modules/orgs/directory.server'
import { onboardSchema } from '../../modules/orgs/onboard-form'
import { onboardFromForm } from './orgs.server'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'

export const meta: MetaFunction = () => [{ title: 'Organizations · Operator' }]

/** org: ['read'] to list; onboarding (the action) needs org: ['create']. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOperatorPermission(request, context, { org: ['read'] })
	const params = new URL(request.url).searchParams
	const search = params.get('q')?.trim().slice(0, 100) ?? ''
	const page = await listOrgsPage({ search, cursor: params.get('after') })
	return { search, after: params.get('after'), ...page }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return onboardFromForm(request, context)
}

export default function OrgsPage() {
	const { orgs, search, after, nextCursor } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const onboarded = actionData?.onboarded
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Organizations</h1>
			{onboarded ? (
				<section role="status" data-testid="onboarded" className="flex flex-col gap-1 rounded-brand border-2 border-primary bg-surface p-4 text-sm">
					<p className="font-semibold">{`${onboarded.name} (${onboarded.slug}) was created.`}</p>
					{onboarded.invited ? <p>{`An invitation to join as owner was sent to ${onboarded.adminEmail}.`}</p> : <p className="text-danger">{`${onboarded.message} Invite its first admin again from the organization's page.`}</p>}
					<p>
						<Link className="text-link underline" to={`/operator/orgs/${encodeURIComponent(onboarded.slug)}`}>
							{`Open ${onboarded.name}`}
						</Link>
					</p>
				</section>
			) : null}
			<Form method="GET" className="flex flex-wrap items-end gap-2" role="search">
				<div className="flex flex-col gap-1">
					<label htmlFor="orgs-q" className="text-sm font-medium">
						Search by name or slug
					</label>
					<input id="orgs-q" name="q" type="search" defaultValue={search} maxLength={100} className="rounded-brand border border-border bg-background px-3 py-2" />
				</div>
				<Button type="submit" variant="secondary" className="sm:w-auto">
					Search
				</Button>
			</Form>
			<OrgTable orgs={orgs} search={search} />
			<nav aria-label="Pages" className="flex gap-4 text-sm">
				{after ? (
					<Link className="text-link underline" to={search ? `?${new URLSearchParams({ q: search })}` : '?'}>
						First page
					</Link>
				) : null}
				{nextCursor ? (
					<Link className="text-link underline" to={`?${new URLSearchParams({ ...(search ? { q: search } : {}), after: nextCursor })}`}>
						Next page
					</Link>
				) : null}
			</nav>
			<OnboardForm />
		</div>
	)
}

function OrgTable({ orgs, search }: { orgs: OrgListing[]; search: string }) {
	return (
		<DataTable caption="Organizations on this platform" columns={['Name', 'Host', 'Users', 'Created', 'Status']} rows={orgs} empty={search ? `No organization matches “${search}”.` : 'No organizations here.'}>
			{(org) => (
				<Row key={org.id} data-org={org.slug}>
					<Cell>
						<Link className="font-medium text-link underline" to={`/operator/orgs/${encodeURIComponent(org.slug)}`}>
							{org.name}
						</Link>
						<span className="ml-2 font-mono text-xs text-muted">{org.slug}</span>
						{org.isOperator ? <span className="ml-2 text-xs text-muted">operator</span> : null}
					</Cell>
					<Cell>
						<a className="text-link underline break-all" href={`${org.origin}/login`}>
							{org.host}
						</a>
					</Cell>
					<Cell className="tabular-nums">{org.users}</Cell>
					<Cell>
						<time dateTime={org.createdAt}>{org.createdAt.slice(0, 10)}</time>
					</Cell>
					<Cell className={org.suspended ? 'font-semibold text-danger' : ''}>{org.suspended ? 'Suspended' : 'Active'}</Cell>
				</Row>
			)}
		</DataTable>
	)
}

function OnboardForm() {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'onboard-org',
		lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
		defaultValue: { brandColor: '#4f46e5' },
		shouldValidate: 'onSubmit',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: onboardSchema }),
	})
	return (
		<section aria-labelledby="onboard-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="onboard-heading" className="mb-4 text-lg font-semibold">
				Onboard an organization
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 100, autoComplete: 'off' }} errors={fields.name.errors} hint="Shown on its sign-in pages and emails." />
				<Field label="Slug" inputProps={{ ...getInputProps(fields.slug, { type: 'text' }), maxLength: 40, autoComplete: 'off', spellCheck: false }} errors={fields.slug.errors} hint="a-z, 0-9 and inner hyphens. It becomes its host: <slug>.<base domain>." />
				<Field label="Brand colour" inputProps={{ ...getInputProps(fields.brandColor, { type: 'text' }), maxLength: 7, autoComplete: 'off', spellCheck: false }} errors={fields.brandColor.errors} hint="A hex colour like #4f46e5. Contrast is adjusted for readability." />
				<Field label="First admin's email" inputProps={{ ...getInputProps(fields.adminEmail, { type: 'email' }), autoComplete: 'off' }} errors={fields.adminEmail.errors} hint="Invited as the organization's owner." />
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Create organization
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
