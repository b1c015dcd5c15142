import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ConsoleNotFoundBoundary } from '../../components/console-layout'
import { Button } from '../../components/ui/button'
import { ConsoleNotice } from '../../components/ui/data-table'
import { Field, FormError, TextareaField } from '../../components/ui/field'
import { overrideFormSchema, type OverrideTemplate } from '../../modules/email/overrides'
import { retryAfterHeaders } from '../../utils/headers'
import { emailTemplateAction, loadEmailTemplate } from './emails.server'

/** The console's no-store (from the layout), plus Retry-After when a test send hits the send limit. */
export const headers: HeadersFunction = (args) => {
	const headers = new Headers(args.parentHeaders)
	for (const [name, value] of new Headers(retryAfterHeaders(args))) headers.set(name, value)
	return headers
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.label ?? 'Email'} · Emails · ${data?.orgName ?? ''}` }]

/** branding: ['read'] to view and preview; ['update'] to save, reset and send a test (routes/admin+/emails.server.ts). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
	return loadEmailTemplate(request, context, params)
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	return emailTemplateAction(request, context, params)
}

const wrap = (name: string) => `{{${name}}}`

export default function EmailTemplatePage() {
	const page = useLoaderData<typeof loader>()
	// A new stored wording (saved, reset, another template) starts the form afresh from it; with
	// scripts, Conform would otherwise keep what was typed across the navigation.
	return <EmailTemplateEditor key={`${page.template}:${JSON.stringify(page.stored)}`} />
}

function EmailTemplateEditor() {
	const page = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm<Record<string, string>>({
		id: `email-${page.template}`,
		lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
		defaultValue: page.stored,
		shouldValidate: 'onBlur',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: overrideFormSchema(page.template as OverrideTemplate) }),
	})
	const preview = actionData?.preview ?? page.preview
	const fromForm = Boolean(actionData?.preview)
	const busy = navigation.state === 'submitting'
	// Errors on a field this template has no control for (a hand-made POST) are still shown.
	const strayErrors = Object.entries(form.allErrors)
		.filter(([name]) => name !== form.id && !page.fields.some((field) => field.name === name))
		.flatMap(([, messages]) => messages)
	return (
		<div className="flex flex-col gap-6">
			<div>
				<p className="mb-2 text-sm">
					<Link className="text-link underline" to="/admin/emails">
						← All emails
					</Link>
				</p>
				<h1 className="text-2xl font-semibold">{page.label}</h1>
				<p className="mt-1 text-sm text-muted">{page.description}</p>
			</div>
			{page.notice === 'saved' && !actionData ? <ConsoleNotice>Saved. The next {page.label.toLowerCase()} message uses this wording.</ConsoleNotice> : null}
			{page.notice === 'reset' && !actionData ? <ConsoleNotice>Back to Foyer&apos;s wording.</ConsoleNotice> : null}
			{actionData?.intent === 'preview' && actionData.preview ? <ConsoleNotice>The preview shows the wording in the form. It is not saved yet.</ConsoleNotice> : null}
			{actionData?.sentTo ? <ConsoleNotice>{`A test was sent to ${actionData.sentTo}, with [Test] before its subject and sample links and codes.`}</ConsoleNotice> : null}
			{actionData?.refused ? (
				<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
					{actionData.refused}
				</p>
			) : null}

			<div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
				<section aria-labelledby="wording-heading" className="rounded-brand border border-border bg-surface p-5">
					<h2 id="wording-heading" className="mb-1 text-lg font-semibold">
						Wording
					</h2>
					<p className="mb-4 text-sm text-muted">Leave a field empty to keep Foyer&apos;s wording (shown in it). Text only: anything else is shown as typed.</p>
					<Form method="POST" className="flex flex-col gap-4" {...getFormProps(form)}>
						<FormError id={form.errorId} errors={[...(form.errors ?? []), ...strayErrors]} />
						<fieldset disabled={!page.canUpdate} className="flex flex-col gap-4">
							{page.fields.map((field) => {
								const meta = fields[field.name]!
								const hint = [
									`Default: ${field.default}`,
									`Variables: ${field.variables.map(wrap).join(', ')}.`,
									field.required.length ? `Must contain ${field.required.map(wrap).join(', ')}.` : null,
									`At most ${field.maxLength} characters.`,
								]
									.filter(Boolean)
									.join(' ')
								return field.name === 'intro' || field.name === 'body' ? (
									<TextareaField
										key={field.name}
										label={field.label}
										hint={hint}
										errors={meta.errors}
										textareaProps={{ ...getTextareaProps(meta), placeholder: field.default, maxLength: field.maxLength, rows: 4, spellCheck: true }}
									/>
								) : (
									<Field
										key={field.name}
										label={field.label}
										hint={hint}
										errors={meta.errors}
										inputProps={{ ...getInputProps(meta, { type: 'text' }), placeholder: field.default, maxLength: field.maxLength, autoComplete: 'off' }}
									/>
								)
							})}
						</fieldset>
						<div className="flex flex-wrap gap-3">
							{page.canUpdate ? (
								<Button type="submit" name="intent" value="save" className="sm:w-auto" disabled={busy}>
									Save
								</Button>
							) : null}
							<Button type="submit" name="intent" value="preview" variant="secondary" className="sm:w-auto" disabled={busy}>
								Preview
							</Button>
							{page.canUpdate && page.kind === 'email' ? (
								<Button type="submit" name="intent" value="test" variant="secondary" className="sm:w-auto" disabled={busy}>
									Send me a test
								</Button>
							) : null}
						</div>
						{page.canUpdate && page.kind === 'email' ? <p className="text-xs text-muted">{`A test goes to your own address (${page.email}) with the wording in the form, and counts towards its email limit.`}</p> : null}
						{!page.canUpdate ? <p className="text-sm text-muted">You can see and preview this wording but not change it.</p> : null}
					</Form>
					{page.canUpdate && page.customised ? (
						<Form method="POST" className="mt-4 border-t border-border pt-4">
							<Button type="submit" name="intent" value="reset" variant="secondary" className="sm:w-auto" disabled={busy}>
								Reset to default
							</Button>
						</Form>
					) : null}
				</section>

				<aside aria-labelledby="variables-heading" className="rounded-brand border border-border bg-surface p-5">
					<h2 id="variables-heading" className="mb-1 text-lg font-semibold">
						Variables
					</h2>
					<p className="mb-3 text-sm text-muted">Write them with two braces on each side. Links and codes go in the intro only, never in a subject.</p>
					<dl className="flex flex-col gap-2 text-sm">
						{page.variables.map((variable) => (
							<div key={variable.name}>
								<dt className="font-mono">{wrap(variable.name)}</dt>
								<dd className="text-muted">{variable.description}</dd>
							</div>
						))}
					</dl>
				</aside>
			</div>

			<section aria-labelledby="preview-heading" className="flex flex-col gap-3">
				<h2 id="preview-heading" className="text-lg font-semibold">
					Preview{fromForm ? ' of the wording in the form' : ''}
				</h2>
				<p className="text-sm text-muted">With sample data, as your own address would get it.</p>
				{preview.subject !== null ? (
					<>
						<p className="text-sm">
							<span className="font-medium">Subject:</span> <span data-testid="preview-subject">{preview.subject}</span>
						</p>
						<div className="grid gap-4 lg:grid-cols-2">
							<PreviewFrame template={page.template} token={preview.token} scheme="light" label={`${page.label}, light`} />
							<PreviewFrame template={page.template} token={preview.token} scheme="dark" label={`${page.label}, in a mail app that darkens emails (simulated)`} />
						</div>
					</>
				) : null}
				<h3 className="text-sm font-semibold">{page.kind === 'sms' ? 'Text message' : 'Plain text'}</h3>
				<pre className="overflow-x-auto rounded-brand border border-border bg-background p-3 text-sm whitespace-pre-wrap" data-testid="preview-text">
					{preview.text}
				</pre>
			</section>
		</div>
	)
}

function PreviewFrame({ template, token, scheme, label }: { template: string; token: string | null; scheme: 'light' | 'dark'; label: string }) {
	const query = new URLSearchParams({ scheme })
	if (token) query.set('draft', token)
	const src = `/admin/emails/${template}/preview?${query}`
	return (
		<figure className="flex flex-col gap-1">
			<figcaption className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
				<span className="font-medium">{scheme === 'light' ? 'Light' : 'Dark (simulated)'}</span>
				<a className="text-link underline" href={src} target="_blank" rel="noreferrer">
					Open on its own<span className="sr-only">: {label}</span>
				</a>
			</figcaption>
			{/* Sandboxed, served under its own CSP: the email's HTML runs nothing and cannot reach this page. */}
			<iframe key={src} title={`Preview: ${label}`} src={src} sandbox="" className="h-[36rem] w-full rounded-brand border border-border bg-white" />
		</figure>
	)
}

export function ErrorBoundary() {
	return <ConsoleNotFoundBoundary what="email template" backTo="/admin/emails" backLabel="All emails" />
}
