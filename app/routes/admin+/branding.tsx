import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { BrandingStudioForm } from '../../components/branding-studio-form'
import { ContrastReportTable } from '../../components/contrast-report'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Cell, ConsoleNotice, DataTable, Row } from '../../components/ui/data-table'
import { changeStudio, loadStudio, PREVIEW_WIDTHS } from './branding.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Branding · ${data?.orgName ?? ''}` }]

/** branding: ['read'] to view (routes/admin+/branding.server.ts). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return loadStudio(request, context)
}

/** branding: ['update'] to save, publish, discard or restore. */
export async function action({ request, context }: ActionFunctionArgs) {
	return changeStudio(request, context)
}

const dateTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

export default function BrandingStudioPage() {
	const page = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { draft } = page
	const other = page.width === 'phone' ? 'desktop' : 'phone'
	return (
		<div className="flex flex-col gap-8">
			<div>
				<h1 className="text-2xl font-semibold">Branding</h1>
				<p className="mt-1 text-sm text-muted">
					{page.published ? `Visitors see version ${page.published}.` : 'Visitors see the default look: nothing was published yet.'}{' '}
					{draft.unpublishedChanges ? 'The draft has changes that are not published.' : 'The draft is the same as what visitors see.'}
				</p>
			</div>
			{page.notice && !actionData ? <ConsoleNotice>{page.notice}</ConsoleNotice> : null}

			<section aria-labelledby="draft-heading" className="flex flex-col gap-4">
				<h2 id="draft-heading" className="text-lg font-semibold">
					Draft
				</h2>
				<BrandingStudioForm document={draft.document} images={page.images} themes={page.themes} fonts={page.fonts} radii={page.radii} lastResult={actionData?.result} disabled={!page.canUpdate} />
				{page.canUpdate && draft.unpublishedChanges ? (
					<Form method="POST">
						<button type="submit" name="intent" value="discard" className="text-sm text-link underline">
							Discard the draft (go back to what visitors see)
						</button>
					</Form>
				) : null}
			</section>

			<section aria-labelledby="contrast-heading" className="flex flex-col gap-4">
				<h2 id="contrast-heading" className="text-lg font-semibold">
					Contrast report for the saved draft
				</h2>
				<ContrastReportTable report={page.contrast} />
			</section>

			<section aria-labelledby="preview-heading" className="flex flex-col gap-4">
				<div className="flex flex-wrap items-baseline justify-between gap-2">
					<h2 id="preview-heading" className="text-lg font-semibold">
						Preview of the saved draft
					</h2>
					<p className="text-sm">
						{`Showing ${page.width} width. `}
						<Link className="text-link underline" to={`?view=${other}#preview-heading`}>
							{`Show ${other} width`}
						</Link>
					</p>
				</div>
				<p className="text-sm text-muted">The real pages of this organization, rendered with the draft in a sandboxed frame. Save the draft to see your changes here; visitors keep seeing the published look.</p>
				<div className="flex flex-col gap-6">
					{page.previews.map((preview) => (
						<div key={preview.id} className="flex flex-col gap-2">
							<h3 className="text-sm font-semibold">{preview.label}</h3>
							<div className="flex gap-4 overflow-x-auto pb-2">
								{(['light', 'dark'] as const).map((mode) => (
									<iframe
										key={mode}
										title={`${preview.label} page, ${mode}, draft preview`}
										src={preview[mode]}
										sandbox=""
										loading="lazy"
										width={PREVIEW_WIDTHS[page.width]}
										height={640}
										className="shrink-0 rounded-brand border border-border bg-background"
									/>
								))}
							</div>
						</div>
					))}
				</div>
			</section>

			<section aria-labelledby="history-heading" className="flex flex-col gap-4">
				<h2 id="history-heading" className="text-lg font-semibold">
					History
				</h2>
				<DataTable caption="Published versions, newest first" columns={['Version', 'Published', 'By', { label: 'Actions', hidden: true }]} rows={page.versions} empty="Nothing was published yet.">
					{(version) => (
						<Row key={version.number}>
							<Cell>
								{`Version ${version.number}`}
								{version.restoredFrom ? <span className="text-muted">{` (restores ${version.restoredFrom})`}</span> : null}
								{version.current ? <span className="ml-2 rounded-brand border border-border px-1.5 text-xs">Live</span> : null}
							</Cell>
							<Cell>{dateTime(version.publishedAt)}</Cell>
							<Cell>{version.publishedBy ?? 'the CLI'}</Cell>
							<Cell className="text-right">
								{page.canUpdate && !version.current ? (
									<Form method="POST">
										<input type="hidden" name="number" value={version.number} />
										<button type="submit" name="intent" value="restore" className="text-link underline">
											{`Restore version ${version.number}`}
										</button>
									</Form>
								) : null}
							</Cell>
						</Row>
					)}
				</DataTable>
			</section>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
