import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Cell, DataTable, Row } from '../../components/ui/data-table'
import { loadEmailList } from './emails.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Emails · ${data?.orgName ?? ''}` }]

/** branding: ['read'] (routes/admin+/emails.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return loadEmailList(request, context)
}

export default function EmailsPage() {
	const { templates, canUpdate } = useLoaderData<typeof loader>()
	return (
		<div className="flex flex-col gap-6">
			<div>
				<h1 className="text-2xl font-semibold">Emails</h1>
				<p className="mt-1 text-sm text-muted">
					The messages people get from this organization. You can change each one&apos;s subject, heading, intro and button; the layout, your published
					branding, links, codes and security notes stay as Foyer writes them, so they keep up with Foyer&apos;s updates.
				</p>
			</div>
			<DataTable caption="Email templates of this organization" columns={['Template', 'Sent when', 'Wording', { label: 'Actions', hidden: true }]} rows={templates} empty="No templates.">
				{(row) => (
					<Row key={row.template} data-template={row.template}>
						<Cell className="font-medium whitespace-nowrap">{row.label}</Cell>
						<Cell className="text-muted">{row.description}</Cell>
						<Cell className="whitespace-nowrap">{row.customised.length ? `Customised: ${row.customised.join(', ').toLowerCase()}` : "Foyer's default"}</Cell>
						<Cell className="text-right whitespace-nowrap">
							<Link className="text-link underline" to={`/admin/emails/${row.template}`}>
								{canUpdate ? 'Edit' : 'View'}
								<span className="sr-only"> {row.label}</span>
							</Link>
						</Cell>
					</Row>
				)}
			</DataTable>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
