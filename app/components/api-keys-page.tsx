import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Button } from './ui/button'
import { CheckboxField, ErrorList, Field, FormError, SelectField } from './ui/field'
import { RESOURCES, STATEMENTS } from '../modules/permissions/statements'
import { API_KEY_EXPIRY_CHOICES, API_KEY_EXPIRY_LABELS, apiKeyInputSchema, DEFAULT_API_KEY_EXPIRY } from '../modules/apikeys/schema'
import { API_KEY_STATUS_LABELS } from '../modules/apikeys/standing'
import type { PublicApiKey } from '../modules/apikeys/keys.server'

/**
 * The API keys page of both consoles (client-safe: the server parts are type imports only).
 * Data comes from loadKeysPage and changeKeysFromForm in routes/admin+/api-keys.server.ts.
 */
type PageData = { orgName: string; console: 'admin' | 'operator'; canCreate: boolean; canRevoke: boolean; grantable: string[]; revoked: boolean; keys: PublicApiKey[] }
type ActionData = { result?: unknown; created: { key: string; name: string; prefix: string; expiresAt: string | null } | null } | undefined

export function ApiKeysPage() {
	const page = useLoaderData<PageData>()
	const actionData = useActionData<ActionData>()
	const platform = page.console === 'operator'
	return (
		<div className="flex flex-col gap-8">
			<div>
				<h1 className="text-2xl font-semibold">{platform ? 'Platform API keys' : 'API keys'}</h1>
				<p className="mt-1 text-sm text-muted">
					{platform
						? 'Keys of the operator organization: the only keys that may manage organizations (/api/v1/orgs), on the operator host.'
						: `Keys for the Management API (/api/v1) of ${page.orgName}. Each works only on this organization's hosts and only for the statements it holds.`}{' '}
					The API is described at <a className="text-link underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
				</p>
			</div>
			{page.revoked && !actionData ? (
				<p role="status" className="rounded-brand border border-border bg-surface px-3 py-2 text-sm">
					The key was revoked. Requests with it now get 401.
				</p>
			) : null}
			{actionData?.created ? <CreatedKey created={actionData.created} /> : null}
			<KeyList keys={page.keys} canRevoke={page.canRevoke} />
			{page.canCreate ? <CreateKeyForm grantable={page.grantable} /> : null}
		</div>
	)
}

/** Rendered only from the create action's response: reloading never shows the key again. */
function CreatedKey({ created }: { created: { key: string; name: string; expiresAt: string | null } }) {
	return (
		<section aria-labelledby="created-key-heading" data-testid="created-key" className="flex flex-col gap-3 rounded-brand border-2 border-primary bg-surface p-5">
			<h2 id="created-key-heading" className="text-lg font-semibold">
				Key “{created.name}” created
			</h2>
			<code className="break-all font-mono text-sm" data-testid="created-key-value">
				{created.key}
			</code>
			<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
				Copy the key now and keep it somewhere safe. It won&apos;t be shown again: only a hash of it is stored. If you lose it, revoke it and create a new one.
			</p>
			<p className="text-sm">{created.expiresAt ? `It expires ${when(created.expiresAt)}.` : 'It never expires: revoke it when it is no longer needed.'}</p>
		</section>
	)
}

function when(iso: string | null) {
	return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never'
}

function KeyList({ keys, canRevoke }: { keys: PublicApiKey[]; canRevoke: boolean }) {
	if (keys.length === 0) return <p className="text-muted">No API keys yet.</p>
	return (
		<div className="overflow-x-auto rounded-brand border border-border bg-surface">
			<table className="w-full text-left text-sm">
				<caption className="sr-only">API keys</caption>
				<thead className="border-b border-border text-muted">
					<tr>
						{['Name', 'Key', 'Statements', 'Created by', 'Created', 'Expires', 'Last used', 'Status'].map((heading) => (
							<th key={heading} scope="col" className="px-4 py-2 font-medium">
								{heading}
							</th>
						))}
					</tr>
				</thead>
				<tbody>
					{keys.map((key) => (
						<tr key={key.id} className="border-b border-border align-top last:border-0" data-testid="api-key-row">
							<td className="px-4 py-2 font-medium">{key.name}</td>
							<td className="px-4 py-2">
								<code className="font-mono text-xs">{key.prefix}…</code>
							</td>
							<td className="px-4 py-2 text-xs">{key.statements.join(', ')}</td>
							<td className="px-4 py-2 text-xs">{key.createdBy.kind === 'cli' ? 'CLI (server operator)' : (key.createdBy.email ?? 'A deleted user')}</td>
							<td className="px-4 py-2 text-xs">{when(key.createdAt)}</td>
							<td className="px-4 py-2 text-xs">{when(key.expiresAt)}</td>
							<td className="px-4 py-2 text-xs">{when(key.lastUsedAt)}</td>
							<td className="px-4 py-2">
								{key.revokedAt ? (
									<span className="text-xs text-muted">Revoked {when(key.revokedAt)}</span>
								) : key.status !== 'active' && key.status !== 'revoked' ? (
									<StoppedKey status={key.status} id={key.id} name={key.name} canRevoke={canRevoke} />
								) : canRevoke ? (
									<Form method="POST">
										<input type="hidden" name="intent" value="revoke" />
										<input type="hidden" name="id" value={key.id} />
										<Button type="submit" variant="secondary" className="sm:w-auto" aria-label={`Revoke ${key.name}`}>
											Revoke
										</Button>
									</Form>
								) : (
									<span className="text-xs">Active</span>
								)}
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	)
}

const STOPPED_HINTS = {
	expired: 'Past its expiry: requests get 401.',
	creator_disabled: 'Its creator is disabled: requests get 401 until they are enabled again.',
	creator_deleted: 'Its creator was deleted: requests get 401.',
} as const

/** A key that no longer works but was never revoked: why, and revoking it still tidies the list. */
function StoppedKey({ status, id, name, canRevoke }: { status: keyof typeof STOPPED_HINTS; id: string; name: string; canRevoke: boolean }) {
	return (
		<div className="flex flex-col gap-1">
			<span className="text-xs font-medium">{API_KEY_STATUS_LABELS[status]}</span>
			<span className="text-xs text-muted">{STOPPED_HINTS[status]}</span>
			{canRevoke ? (
				<Form method="POST">
					<input type="hidden" name="intent" value="revoke" />
					<input type="hidden" name="id" value={id} />
					<Button type="submit" variant="secondary" className="sm:w-auto" aria-label={`Revoke ${name}`}>
						Revoke
					</Button>
				</Form>
			) : null}
		</div>
	)
}

function CreateKeyForm({ grantable }: { grantable: string[] }) {
	const actionData = useActionData<ActionData>()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'create-api-key',
		lastResult: navigation.state === 'idle' ? (actionData?.result as never) : undefined,
		shouldValidate: 'onSubmit',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: apiKeyInputSchema }),
	})
	const offered = new Set(grantable)
	// After a refused submission the ticks come back as they were sent.
	const initial = fields.statements.initialValue
	const ticked = new Set(Array.isArray(initial) ? initial : typeof initial === 'string' ? [initial] : [])
	return (
		<section aria-labelledby="create-key-heading" className="rounded-brand border border-border bg-surface p-5">
			<h2 id="create-key-heading" className="mb-4 text-lg font-semibold">
				Create an API key
			</h2>
			<Form method="POST" className="flex max-w-2xl flex-col gap-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="create" />
				<FormError id={form.errorId} errors={form.errors} />
				<Field label="Name" inputProps={{ ...getInputProps(fields.name, { type: 'text' }), maxLength: 100, autoComplete: 'off' }} errors={fields.name.errors} hint="What the key is for, e.g. the service that uses it." />
				<SelectField
					label="Expires after"
					selectProps={{ id: fields.expiresIn.id, name: fields.expiresIn.name, defaultValue: typeof fields.expiresIn.initialValue === 'string' ? fields.expiresIn.initialValue : DEFAULT_API_KEY_EXPIRY }}
					options={API_KEY_EXPIRY_CHOICES.map((value) => ({ value, label: API_KEY_EXPIRY_LABELS[value] }))}
					errors={fields.expiresIn.errors}
					hint="After this the key gets 401 and you make a new one. Never: only for keys you rotate yourself."
				/>
				<fieldset className="flex flex-col gap-3" aria-describedby={fields.statements.errors?.length ? fields.statements.errorId : undefined}>
					<legend className="mb-1 text-sm font-medium">Statements</legend>
					<p className="text-xs text-muted">What the key may do. You can only give it what your own role holds, and it keeps only what your role still holds when it is used: if your role loses a statement, or your account is disabled or deleted, so does the key.</p>
					<div className="grid gap-3 sm:grid-cols-2">
						{RESOURCES.map((resource) => {
							const words = STATEMENTS[resource].map((action) => `${resource}:${action}`).filter((word) => offered.has(word))
							if (!words.length) return null
							return (
								<fieldset key={resource} className="rounded-brand border border-border p-3">
									<legend className="px-1 text-sm font-medium">{resource}</legend>
									<div className="flex flex-wrap gap-x-4">
										{words.map((word) => (
											<CheckboxField key={word} label={word.split(':')[1]!} inputProps={{ id: `statement-${word.replace(':', '-')}`, name: fields.statements.name, value: word, defaultChecked: ticked.has(word), 'aria-label': word }} />
										))}
									</div>
								</fieldset>
							)
						})}
					</div>
					<ErrorList id={fields.statements.errorId} errors={fields.statements.errors} />
				</fieldset>
				<Button type="submit" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Create key
				</Button>
			</Form>
		</section>
	)
}
