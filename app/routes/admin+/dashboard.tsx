import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { dashboardStats, type DayCount } from '../../modules/audit/dashboard.server'
import { requireOrgPermission } from '../../modules/permissions/guard.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Dashboard · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOrgPermission(request, context, { audit: ['read'] })
	const stats = await dashboardStats(context.org.id)
	return { orgName: context.org.name, ...stats }
}

export default function DashboardPage() {
	const { users, days } = useLoaderData<typeof loader>()
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Dashboard</h1>
			<section aria-labelledby="users-heading" className="rounded-brand border border-border bg-surface p-5">
				<h2 id="users-heading" className="mb-3 text-lg font-semibold">
					Users
				</h2>
				<dl className="grid grid-cols-2 gap-4 sm:max-w-md">
					<div>
						<dt className="text-sm text-muted">Active</dt>
						<dd className="text-3xl font-semibold tabular-nums" data-testid="users-active">
							{users.active}
						</dd>
					</div>
					<div>
						<dt className="text-sm text-muted">Disabled</dt>
						<dd className="text-3xl font-semibold tabular-nums" data-testid="users-disabled">
							{users.disabled}
						</dd>
					</div>
				</dl>
			</section>
			<section aria-labelledby="signins-heading" className="rounded-brand border border-border bg-surface p-5">
				<h2 id="signins-heading" className="mb-3 text-lg font-semibold">
					Sign-ins, last 7 days (UTC)
				</h2>
				<SignInChart days={days} />
				<table className="sr-only" data-testid="signins-table">
					<caption>Sign-ins and failed sign-ins per day, last 7 days (UTC)</caption>
					<thead>
						<tr>
							<th scope="col">Day</th>
							<th scope="col">Sign-ins</th>
							<th scope="col">Failures</th>
						</tr>
					</thead>
					<tbody>
						{days.map((day) => (
							<tr key={day.day} data-day={day.day}>
								<th scope="row">{day.day}</th>
								<td data-kind="signins">{day.signIns}</td>
								<td data-kind="failures">{day.failures}</td>
							</tr>
						))}
					</tbody>
				</table>
			</section>
		</div>
	)
}

const CHART = { width: 560, height: 200, top: 16, bottom: 36, left: 8 }

/**
 * Two bars a day, drawn on the server: no script, and the numbers are in the table above for
 * screen readers (the SVG is an image with a summary in its title).
 */
function SignInChart({ days }: { days: DayCount[] }) {
	const max = Math.max(1, ...days.flatMap((day) => [day.signIns, day.failures]))
	const plot = CHART.height - CHART.top - CHART.bottom
	const slot = (CHART.width - CHART.left) / days.length
	const bar = Math.min(28, slot / 3)
	const height = (n: number) => (n / max) * plot
	const summary = `Sign-ins and failures per day, last 7 days: ${days.map((day) => `${day.day} ${day.signIns} sign-ins, ${day.failures} failures`).join('; ')}`
	return (
		<figure className="flex flex-col gap-2">
			<svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-labelledby="signins-chart-title" className="h-auto w-full max-w-2xl">
				<title id="signins-chart-title">{summary}</title>
				<line x1={CHART.left} x2={CHART.width} y1={CHART.height - CHART.bottom} y2={CHART.height - CHART.bottom} className="stroke-border" strokeWidth={1} />
				{days.map((day, i) => {
					const x = CHART.left + i * slot + (slot - 2 * bar - 4) / 2
					const base = CHART.height - CHART.bottom
					return (
						<g key={day.day}>
							<rect x={x} y={base - height(day.signIns)} width={bar} height={height(day.signIns)} className="fill-primary" />
							<rect x={x + bar + 4} y={base - height(day.failures)} width={bar} height={height(day.failures)} className="fill-danger" />
							<text x={x + bar + 2} y={base + 16} textAnchor="middle" className="fill-muted text-[11px]">
								{day.day.slice(5)}
							</text>
							<text x={x + bar / 2} y={base - height(day.signIns) - 4} textAnchor="middle" className="fill-foreground text-[10px]">
								{day.signIns}
							</text>
							<text x={x + bar * 1.5 + 4} y={base - height(day.failures) - 4} textAnchor="middle" className="fill-foreground text-[10px]">
								{day.failures}
							</text>
						</g>
					)
				})}
			</svg>
			<figcaption className="flex gap-4 text-sm text-muted">
				<span className="flex items-center gap-1">
					<span aria-hidden="true" className="inline-block h-3 w-3 bg-primary" /> Sign-ins
				</span>
				<span className="flex items-center gap-1">
					<span aria-hidden="true" className="inline-block h-3 w-3 bg-danger" /> Failures (password, passkey or second factor)
				</span>
			</figcaption>
		</figure>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
