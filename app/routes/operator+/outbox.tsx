import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Cell, DataTable, Row } from '../../components/ui/data-table'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'

export const meta: MetaFunction = () => [{ title: 'Outbox · Operator' }]

const PAGE_SIZE = 100

export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOperatorPermission(request, context, { org: ['read'] })
	const to = new URL(request.url).searchParams.get('to')?.trim().toLowerCase().slice(0, 320) || null
	const emails = await db().outboxEmail.findMany({
		where: to ? { to } : {},
		orderBy: { createdAt: 'desc' },
		take: PAGE_SIZE,
		select: { id: true, to: true, subject: true, template: true, createdAt: true, organization: { select: { slug: true } } },
	})
	return { to, smtp: Boolean(config().env.SMTP_URL), emails: emails.map((email) => ({ ...email, createdAt: email.createdAt.toISOString() })) }
}

export default function OutboxPage() {
	const { to, smtp, emails } = useLoaderData<typeof loader>()
	return (
		<section aria-labelledby="outbox-title">
			<h1 id="outbox-title" className="text-xl font-semibold">
				Outbox
			</h1>
			<p className="mt-1 text-sm text-muted">
				{smtp
					? 'Mail goes out through SMTP_URL; this outbox only shows what was stored before it was set.'
					: 'No SMTP_URL is set, so every email Foyer sends is kept here (for a week) instead of being delivered.'}
			</p>
			<Form method="GET" className="mt-4 flex items-end gap-2">
				<div className="flex flex-col gap-1">
					<label htmlFor="outbox-to" className="text-sm font-medium">
						Recipient
					</label>
					<input id="outbox-to" name="to" type="email" defaultValue={to ?? ''} className="rounded-brand border border-border bg-background px-3 py-2" />
				</div>
				<button type="submit" className="rounded-brand border border-border px-3 py-2 text-sm font-medium">
					Filter
				</button>
			</Form>
			<div className="mt-6">
				<DataTable caption="Emails Foyer sent, newest first" columns={['Sent', 'Org', 'To', 'Subject']} rows={emails} empty={`No emails${to ? ` to ${to}` : ''} yet.`}>
					{(email) => (
						<Row key={email.id}>
							<Cell className="whitespace-nowrap">
								<time dateTime={email.createdAt}>{email.createdAt.replace('T', ' ').slice(0, 19)}</time>
							</Cell>
							<Cell>{email.organization?.slug ?? '—'}</Cell>
							<Cell className="break-all">{email.to}</Cell>
							<Cell>
								<Link className="text-link underline" to={`/operator/outbox/${email.id}`}>
									{email.subject}
								</Link>
							</Cell>
						</Row>
					)}
				</DataTable>
			</div>
		</section>
	)
}
