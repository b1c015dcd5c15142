import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '../../components/error-boundary'
import { Button } from '../../components/ui/button'
import { CheckboxField, ErrorList, Field, FormError, TextareaField } from '../../components/ui/field'
import { Cell, ConsoleNotice, DataTable, Row } from '../../components/ui/data-table'
import { appFormSchema, type AppFormFields, type AppFormValue } from '../../modules/admin/app-form'
import { requireOrgPermission } from '../../modules/permissions/guard.server'
import { listApps } from '../../modules/apps/apps.server'
import { APP_TYPE_LABELS, APP_TYPES, type AppType } from '../../modules/apps/schema'
import { createAppFromForm } from './apps.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Apps · ${data?.orgName ?? ''}` }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	await requireOrgPermission(request, context, { app: ['read'] })
	const apps = await listApps(context.org.id)
	return {
		orgName: context.org.name,
		deleted: new URL(request.url).searchParams.has('deleted'),
		apps: apps.map((app) => ({ clientId: app.clientId, name: app.name, type: app.type as AppType, redirectUris: app.redirectUris, firstParty: app.firstParty })),
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	return createAppFromForm(request, context)
}

const SHORT_TYPE: Record<AppType, string> = { web: 'Web', spa: 'Single-page', native: 'Native', m2m: 'Machine to machine' }

export default function AppsPage() {
	const { apps, deleted } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const created = actionData?.created
	return (
		<div className="flex flex-col gap-8">
			<h1 className="text-2xl font-semibold">Apps</h1>
			{deleted && !actionData ? (
				<ConsoleNotice>The app was deleted. Its tokens no longer work.</ConsoleNotice>
			) : null}
			{created ? <CreatedCredentials created={created} /> : null}
			<AppList apps={apps} />
			<CreateAppForm />
		</div>
	)
}

/** Rendered only from the create action's response: reloading the list never shows the secret again. */
function CreatedCredentials({ created }: { created: { clientId: string; name: string; type: string; clientSecret: string | null } }) {
	return (
		<section aria-labelledby="created-heading" data-testid="created-app" className="flex flex-col gap-3 rounded-brand border-2 border-primary bg-surface p-5">
			<h2 id="created-heading" className="text-lg font-semibold">
				App “{created.name}” created
			</h2>
			<dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
				<dt className="text-sm text-muted">Client ID</dt>
				<dd>
					<code className="break-all font-mono text-sm" data-testid="created-client-id">
						{created.clientId}
					</code>
				</dd>
				{created.clientSecret ? (
					<>
						<dt className="text-sm text-muted">Client secret</dt>
						<dd>
							<code className="break-all font-mono text-sm" data-testid="created-client-secret">
								{created.clientSecret}
							</code>
						</dd>
					</>
				) : null}
			</dl>
			{created.clientSecret ? (
				<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
					Copy the client secret now and keep it somewhere safe. It won&apos;t be shown again: Foyer stores it encrypted and no page displays it. If you lose it, delete the app and create a new one.
				</p>
			) : (
				<p className="text-sm text-muted">This is a public client: it has no secret and proves itself with PKCE instead.</p>
			)}
			<p className="text-sm">
				<Link className="text-link underline" to={`/admin/apps/${encodeURIComponent(created.clientId)}`}>
					Open the app&apos;s settings and quick start
				</Link>
			</p>
		</section>
	)
}

type ListedApp = { clientId: string; name: string; type: AppType; redirectUris: string[]; firstParty: boolean }

function AppList({ apps }: { apps: ListedApp[] }) {
	return (
		<DataTable caption="Apps registered in this organization" columns={['Name', 'Type', 'Client ID', 'Redirect URIs']} rows={apps} empty="No apps yet. Create one below to let it sign users in.">
			{(app) => (
				<Row key={app.clientId}>
					<Cell>
						<Link className="font-medium text-link underline" to={`/admin/apps/${encodeURIComponent(app.clientId)}`}>
							{app.name}
						</Link>
						{app.firstParty ? <span className="ml-2 text-xs text-muted">first-party</span> : null}
					</Cell>
					<Cell>{SHORT_TYPE[app.type] ?? app.type}</Cell>
					<Cell>
						<code className="break-all font-mono text-xs">{app.clientId}</code>
					</Cell>
					<Cell className="text-xs break-all">{app.redirectUris.length ? app.redirectUris.join(', ') : <span className="text-muted">none</span>}</Cell>
				</Row>
			)}
		</DataTable>
	)
}

const schema = appFormSchema()

function CreateAppForm() {
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm<AppFormFields, AppFormValue>({
		id: 'create-app',
		lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
		defaultValue: { type: 'web' },
		shouldValidate: 'onSubmit',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
	})
	return (
		<section aria-labelledby="create-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="create-heading" className="mb-4 text-lg font-semibold">
				Create an app
			</h2>
			<Form method="POST" className="flex max-w-xl flex-col gap-4" {...getFormProps(form)}>
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 100, autoComplete: 'off' }} errors={fields.name.errors} hint="Shown to users on the consent page." />
				<fieldset className="flex flex-col gap-2" aria-describedby={fields.type.errors?.length ? fields.type.errorId : undefined}>
					<legend className="mb-1 text-sm font-medium">Type</legend>
					{APP_TYPES.map((type) => {
						const { key: _key, ...radio } = getInputProps(fields.type, { type: 'radio', value: type })
						return (
							<div key={type} className="flex items-start gap-2">
								<input {...radio} id={`${fields.type.id}-${type}`} className="mt-1 h-4 w-4 accent-primary" />
								<label htmlFor={`${fields.type.id}-${type}`} className="text-sm">
									{APP_TYPE_LABELS[type]}
								</label>
							</div>
						)
					})}
					<ErrorList id={fields.type.errorId} errors={fields.type.errors} />
				</fieldset>
				<TextareaField
					label="Redirect URIs"
					textareaProps={getTextareaProps(fields.redirectUris)}
					errors={fields.redirectUris.errors}
					hint="One a line, matched exactly. https (http only on localhost). Leave empty for machine-to-machine apps."
				/>
				<TextareaField label="Post-logout redirect URIs" textareaProps={getTextareaProps(fields.postLogoutRedirectUris)} errors={fields.postLogoutRedirectUris.errors} hint="Optional. One a line: where users may land after signing out." />
				<CheckboxField label="First-party app" inputProps={getInputProps(fields.firstParty, { type: 'checkbox' })} errors={fields.firstParty.errors} hint="Your organization's own app: users are not asked for consent." />
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Create app
				</Button>
			</Form>
		</section>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
