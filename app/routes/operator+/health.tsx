import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
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
			<div className="overflow-x-auto rounded-brand border border-border bg-surface">
				<table className="w-full text-left text-sm">
					<caption className="sr-only">The parts Foyer depends on</caption>
					<thead className="border-b border-border text-muted">
						<tr>
							<th scope="col" className="px-4 py-2 font-medium">
								Part
							</th>
							<th scope="col" className="px-4 py-2 font-medium">
								Status
							</th>
							<th scope="col" className="px-4 py-2 font-medium">
								Latency
							</th>
							<th scope="col" className="px-4 py-2 font-medium">
								Detail
							</th>
						</tr>
					</thead>
					<tbody>
						{checks.map((check) => (
							<tr key={check.name} data-check={check.name} data-status={check.status} className="border-b border-border last:border-0">
								<th scope="row" className="px-4 py-2 font-medium">
									{check.name}
								</th>
								<td className={`px-4 py-2 ${STATUS_CLASS[check.status]}`}>{STATUS_LABEL[check.status]}</td>
								<td className="px-4 py-2 tabular-nums">{check.latencyMs === null ? '—' : `${check.latencyMs} ms`}</td>
								<td className="px-4 py-2">{check.detail}</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
