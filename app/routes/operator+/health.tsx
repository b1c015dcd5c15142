import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Cell, DataTable, Row } from '../../components/ui/data-table'
import { platformHealth, type CheckStatus } from '../../modules/orgs/platform-health.server'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'

export const meta: MetaFunction = () => [{ title: 'Health · Operator' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOperatorPermission(request, context, { org: ['read'] })
	return { checkedAt: new Date().toISOString(), checks: await platformHealth() }
}

const STATUS_LABEL: Record<CheckStatus, string> = { ok: 'OK', off: 'Not configured', down: 'Failing' }
const STATUS_CLASS: Record<CheckStatus, string> = { ok: 'text-foreground', off: 'text-muted', down: 'font-semibold text-danger' }

export default function HealthPage() {
	const { checks, checkedAt } = useLoaderData<typeof loader>()
	return (
		<div className="flex flex-col gap-6">
			<div>
				<h1 className="text-2xl font-semibold">Health</h1>
				<p className="mt-1 text-sm text-muted">
					Checked at <time dateTime={checkedAt}>{checkedAt.replace('T', ' ').slice(0, 19)} UTC</time>. Reload the page to check again.
				</p>
			</div>
			<DataTable caption="The parts Foyer depends on" columns={['Part', 'Status', 'Latency', 'Detail']} rows={checks} empty="No checks ran.">
				{(check) => (
					<Row key={check.name} data-check={check.name} data-status={check.status}>
						<th scope="row" className="px-4 py-2 font-medium">
							{check.name}
						</th>
						<Cell className={STATUS_CLASS[check.status]}>{STATUS_LABEL[check.status]}</Cell>
						<Cell className="tabular-nums">{check.latencyMs === null ? '—' : `${check.latencyMs} ms`}</Cell>
						<Cell>{check.detail}</Cell>
					</Row>
				)}
			</DataTable>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
