import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireOperatorPermission } from '../../modules/permissions/guard.server'
import { db } from '../../utils/db.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.email.subject ?? 'Email'} · Outbox` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
	await requireOperatorPermission(request, context, { org: ['read'] })
	const email = await db().outboxEmail.findUnique({
		where: { id: params.id ?? '' },
		select: { id: true, from: true, to: true, subject: true, text: true, template: true, createdAt: true },
	})
	if (!email) throw data('No such email in the outbox.', { status: 404 })
	return { email: { ...email, createdAt: email.createdAt.toISOString() } }
}

export default function OutboxEmailPage() {
	const { email } = useLoaderData<typeof loader>()
	return (
		<article aria-labelledby="email-subject">
			<p className="text-sm">
				<Link className="text-link underline" to="/operator/outbox">
					Back to the outbox
				</Link>
			</p>
			<h1 id="email-subject" className="mt-4 text-xl font-semibold" data-testid="email-subject">
				{email.subject}
			</h1>
			<dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
				<dt className="text-muted">From</dt>
				<dd>{email.from}</dd>
				<dt className="text-muted">To</dt>
				<dd data-testid="email-to">{email.to}</dd>
				<dt className="text-muted">Sent</dt>
				<dd>
					<time dateTime={email.createdAt}>{email.createdAt}</time>
				</dd>
				<dt className="text-muted">Template</dt>
				<dd>{email.template}</dd>
			</dl>
			<h2 className="mt-6 text-sm font-semibold">HTML</h2>
			{/* A sandboxed frame: the message's HTML runs no script and cannot reach this page. */}
			<iframe title={`HTML part of ${email.subject}`} src={`/operator/outbox/${email.id}/html`} sandbox="" className="mt-2 h-[32rem] w-full rounded-brand border border-border bg-white" />
			<h2 className="mt-6 text-sm font-semibold">Plain text</h2>
			<pre className="mt-2 overflow-x-auto rounded-brand border border-border bg-background p-3 text-sm whitespace-pre-wrap" data-testid="email-text">
				{email.text}
			</pre>
		</article>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
