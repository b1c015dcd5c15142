import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { Cell, DataTable, Row as TableRow } from '../../components/ui/data-table'
import { Field } from '../../components/ui/field'
import { verifyAuditChain } from '../../modules/audit/audit.server'
import { filterSearchParams, filterValues, parseAuditQuery, type FilterField } from '../../modules/audit/audit-filters'
import { listAuditPage } from '../../modules/audit/audit-query.server'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { readFormData } from '../../utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Audit log · ${data?.orgName ?? ''}` }]

type Values = Record<FilterField, string>

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { permissions } = await requireOrgPermission(request, context, { audit: ['read'] })
	const params = new URL(request.url).searchParams
	const parsed = parseAuditQuery(params)
	const canExport = hasPermission(permissions, { audit: ['export'] })
	if (!parsed.ok) {
		const values = Object.fromEntries((['actor', 'type', 'target', 'from', 'to'] as const).map((key) => [key, params.get(key) ?? ''])) as Values
		return data({ orgName: context.org.name, values, errors: parsed.errors, page: null, query: '', canExport }, { status: 400 })
	}
	const page = await listAuditPage(context.org.id, parsed.filters, parsed.cursor)
	return {
		orgName: context.org.name,
		values: filterValues(parsed.filters),
		errors: {} as Partial<Record<string, string[]>>,
		query: filterSearchParams(parsed.filters).toString(),
		canExport,
		page: {
			older: page.older,
			newer: page.newer,
			events: page.events.map((event) => ({
				seq: event.seq,
				createdAt: event.createdAt.toISOString(),
				type: event.type,
				actorId: event.actorId,
				actorEmail: event.actorEmail,
				targetType: event.targetType,
				targetId: event.targetId,
				ip: event.ip,
				data: JSON.stringify(event.data ?? {}),
			})),
		},
	}
}

/** The one action: verify the org's hash chain (the same check as `foyer audit verify`). */
export async function action({ request, context }: ActionFunctionArgs) {
	await requireOrgPermission(request, context, { audit: ['read'] })
	const form = await readFormData(request)
	if (form.get('intent') !== 'verify') throw data('That action is not available here.', { status: 400 })
	const result = await verifyAuditChain(context.org.id)
	return { verified: result }
}

export default function AuditPage() {
	const { values, errors, page, query, canExport } = useLoaderData<typeof loader>()
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Audit log</h1>
			<VerifyChain />
			<FilterForm values={values} errors={errors} />
			{page ? (
				<>
					{canExport ? (
						<p className="flex gap-4 text-sm">
							<span>Export these events:</span>
							<a className="text-link underline" href={`/admin/audit/export?${new URLSearchParams([...new URLSearchParams(query), ['format', 'csv']])}`} download>
								CSV
							</a>
							<a className="text-link underline" href={`/admin/audit/export?${new URLSearchParams([...new URLSearchParams(query), ['format', 'json']])}`} download>
								JSON
							</a>
						</p>
					) : null}
					<EventTable events={page.events} />
					<Paging query={query} older={page.older} newer={page.newer} />
				</>
			) : null}
		</div>
	)
}

function VerifyChain() {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const result = actionData?.verified
	return (
		<section aria-labelledby="verify-heading" className="flex flex-col gap-3 rounded-brand border border-border bg-surface p-5">
			<h2 id="verify-heading" className="text-lg font-semibold">
				Integrity
			</h2>
			<p className="text-sm text-muted">Every event carries a hash of the one before it, so an edited, removed or reordered event breaks the chain.</p>
			{result ? (
				result.ok ? (
					<p role="status" data-testid="verify-result" className="rounded-brand border border-border bg-background px-3 py-2 text-sm">
						{`The chain is intact: ${result.events} events checked.`}
					</p>
				) : (
					<p role="alert" data-testid="verify-result" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
						{`The chain is broken at event #${result.brokenAt.seq}: ${result.reason}. ${result.events} events before it are intact.`}
					</p>
				)
			) : null}
			<Form method="POST">
				<input type="hidden" name="intent" value="verify" />
				<Button type="submit" variant="secondary" className="sm:w-auto" disabled={navigation.state === 'submitting'}>
					Verify chain
				</Button>
			</Form>
		</section>
	)
}

const FIELD_LABELS: { name: FilterField; label: string; hint?: string; type?: string }[] = [
	{ name: 'actor', label: 'Actor', hint: 'An email address or a user id.' },
	{ name: 'type', label: 'Event type', hint: 'Exact (user.signed_in) or a prefix ending in a dot (user.).' },
	{ name: 'target', label: 'Target id' },
	{ name: 'from', label: 'From (UTC date)', type: 'date' },
	{ name: 'to', label: 'To (UTC date)', type: 'date' },
]

function FilterForm({ values, errors }: { values: Values; errors: Partial<Record<string, string[]>> }) {
	const cursorErrors = [...(errors.before ?? []), ...(errors.after ?? [])]
	return (
		<section aria-labelledby="filter-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="filter-heading" className="mb-4 text-lg font-semibold">
				Filter
			</h2>
			<Form method="GET" className="grid gap-4 sm:grid-cols-2">
				{cursorErrors.length ? (
					<p role="alert" className="text-sm text-danger sm:col-span-2">
						{cursorErrors.join(' ')}
					</p>
				) : null}
				{FIELD_LABELS.map((field) => (
					<Field
						key={field.name}
						label={field.label}
						hint={field.hint}
						errors={errors[field.name]}
						inputProps={{ id: `filter-${field.name}`, name: field.name, type: field.type ?? 'text', defaultValue: values[field.name], autoComplete: 'off' }}
					/>
				))}
				<div className="flex items-end gap-3">
					<Button type="submit" className="sm:w-auto">
						Apply filters
					</Button>
					<Link className="text-sm text-link underline" to="/admin/audit">
						Clear
					</Link>
				</div>
			</Form>
		</section>
	)
}

type Row = { seq: number; createdAt: string; type: string; actorId: string | null; actorEmail: string | null; targetType: string | null; targetId: string | null; ip: string | null; data: string }

function EventTable({ events }: { events: Row[] }) {
	return (
		<DataTable caption="Audit events, newest first" columns={['#', 'Time (UTC)', 'Event', 'Actor', 'Target', 'IP', 'Details']} rows={events} empty="No events match.">
			{(event) => (
				<TableRow key={event.seq} data-seq={event.seq} className="align-top">
					<Cell className="tabular-nums">{event.seq}</Cell>
					<Cell className="whitespace-nowrap">{event.createdAt.replace('T', ' ').replace('Z', '')}</Cell>
					<Cell>
						<code className="font-mono text-xs">{event.type}</code>
					</Cell>
					<Cell className="break-all">{event.actorEmail ?? event.actorId ?? <span className="text-muted">none</span>}</Cell>
					<Cell className="break-all text-xs">{event.targetId ? `${event.targetType ?? ''} ${event.targetId}` : <span className="text-muted">none</span>}</Cell>
					<Cell className="text-xs">{event.ip ?? ''}</Cell>
					<Cell>
						<code className="font-mono text-xs break-all">{event.data}</code>
					</Cell>
				</TableRow>
			)}
		</DataTable>
	)
}

function Paging({ query, older, newer }: { query: string; older: number | null; newer: number | null }) {
	const link = (cursor: [string, number]) => `/admin/audit?${new URLSearchParams([...new URLSearchParams(query), [cursor[0], String(cursor[1])]])}`
	if (older === null && newer === null) return null
	return (
		<nav aria-label="Pages" className="flex gap-6 text-sm">
			{newer !== null ? (
				<Link className="text-link underline" rel="prev" to={link(['after', newer])}>
					Newer
				</Link>
			) : null}
			{older !== null ? (
				<Link className="text-link underline" rel="next" to={link(['before', older])}>
					Older
				</Link>
			) : null}
		</nav>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
