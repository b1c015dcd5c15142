import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AppQuickStart } from '../../components/app-quick-start'
import { ConsoleNotFoundBoundary } from '../../components/console-layout'
import { Button } from '../../components/ui/button'
import { CheckboxField, Field, FormError, TextareaField } from '../../components/ui/field'
import { ConsoleNotice } from '../../components/ui/data-table'
import { appFormSchema, type AppFormFields, type AppFormValue } from '../../modules/admin/app-form'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { APP_TYPE_LABELS, type AppType } from '../../modules/apps/schema'
import { changeAppFromForm, deleteSchema, requireOwnedApp } from './apps.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.app.name ?? 'App'} · Apps · ${data?.orgName ?? ''}` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
	await requireOrgPermission(request, context, { app: ['read'] })
	const app = await requireOwnedApp(context.org.id, params.clientId)
	return {
		orgName: context.org.name,
		origin: context.org.origin,
		saved: new URL(request.url).searchParams.has('saved'),
		app: {
			clientId: app.clientId,
			name: app.name,
			type: app.type as AppType,
			hasSecret: app.hasSecret,
			redirectUris: app.redirectUris,
			postLogoutRedirectUris: app.postLogoutRedirectUris,
			firstParty: app.firstParty,
			createdAt: app.createdAt.toISOString(),
		},
	}
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	return changeAppFromForm(request, context, params.clientId)
}

type LoadedApp = Awaited<ReturnType<typeof loader>>['app']

export default function AppPage() {
	const { app, origin, saved } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	return (
		<div className="flex flex-col gap-8">
			<div>
				<p className="mb-2 text-sm">
					<Link className="text-link underline" to="/admin/apps">
						← All apps
					</Link>
				</p>
				<h1 className="text-2xl font-semibold break-words">{app.name}</h1>
			</div>
			{saved && !actionData ? (
				<ConsoleNotice>Changes saved.</ConsoleNotice>
			) : null}
			<dl className="grid gap-x-6 gap-y-2 rounded-brand border border-border bg-surface p-5 sm:grid-cols-[max-content_1fr]">
				<dt className="text-sm text-muted">Client ID</dt>
				<dd>
					<code className="break-all font-mono text-sm">{app.clientId}</code>
				</dd>
				<dt className="text-sm text-muted">Type</dt>
				<dd className="text-sm">{APP_TYPE_LABELS[app.type] ?? app.type}</dd>
				<dt className="text-sm text-muted">Client secret</dt>
				<dd className="text-sm">{app.hasSecret ? 'Set. It was shown once, when the app was created.' : 'None: a public client, authenticated by PKCE.'}</dd>
				<dt className="text-sm text-muted">Created</dt>
				<dd className="text-sm">
					<time dateTime={app.createdAt}>{app.createdAt.slice(0, 10)}</time>
				</dd>
			</dl>
			<EditAppForm app={app} />
			<div className="rounded-brand border border-border bg-surface p-5">
				<AppQuickStart origin={origin} app={app} />
			</div>
			<DeleteAppForm app={app} />
		</div>
	)
}

function EditAppForm({ app }: { app: LoadedApp }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const schema = appFormSchema(app.type)
	const interactive = app.type !== 'm2m'
	const [form, fields] = useForm<AppFormFields, AppFormValue>({
		id: 'edit-app',
		lastResult: navigation.state === 'idle' && actionData?.intent === 'update' ? actionData.result : undefined,
		defaultValue: {
			name: app.name,
			redirectUris: app.redirectUris.join('\n'),
			postLogoutRedirectUris: app.postLogoutRedirectUris.join('\n'),
			firstParty: app.firstParty,
		},
		shouldValidate: 'onSubmit',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
	})
	return (
		<section aria-labelledby="settings-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="settings-heading" className="mb-4 text-base font-semibold">
				Settings
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="update" />
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 100, autoComplete: 'off' }} errors={fields.name.errors} />
				{interactive ? (
					<>
						<TextareaField label="Redirect URIs" textareaProps={getTextareaProps(fields.redirectUris)} errors={fields.redirectUris.errors} hint="One a line, matched exactly. https (http only on localhost)." />
						<TextareaField label="Post-logout redirect URIs" textareaProps={getTextareaProps(fields.postLogoutRedirectUris)} errors={fields.postLogoutRedirectUris.errors} hint="Optional. One a line." />
						<CheckboxField label="First-party app" inputProps={getInputProps(fields.firstParty, { type: 'checkbox' })} errors={fields.firstParty.errors} hint="Your organization's own app: users are not asked for consent." />
					</>
				) : (
					<p className="text-sm text-muted">Machine-to-machine apps use client credentials only: no redirect URIs, no users.</p>
				)}
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Save changes
				</Button>
			</Form>
		</section>
	)
}

/** The confirmation is a checkbox in the same form: a deliberate second act that needs no JavaScript. */
function DeleteAppForm({ app }: { app: LoadedApp }) {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm<{ confirm: boolean }>({
		id: 'delete-app',
		lastResult: navigation.state === 'idle' && actionData?.intent === 'delete' ? actionData.result : undefined,
		shouldValidate: 'onSubmit',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteSchema }),
	})
	return (
		<section aria-labelledby="delete-heading" className="rounded-brand border border-danger p-5">
			<h2 id="delete-heading" className="mb-2 text-base font-semibold">
				Delete this app
			</h2>
			<p className="mb-4 text-sm text-muted">Users can no longer sign in to {app.name} through this organization, and every token issued to it stops working. This cannot be undone.</p>
			<Form method="POST" className="flex flex-col gap-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="delete" />
				<FormError id={form.errorId} errors={form.errors} />
				<CheckboxField label={`I understand: delete ${app.name} and revoke its tokens.`} inputProps={getInputProps(fields.confirm, { type: 'checkbox' })} errors={fields.confirm.errors} />
				<Button type="submit" variant="secondary" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Delete app
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <ConsoleNotFoundBoundary what="app" backTo="/admin/apps" backLabel="Back to all apps" />
}
