import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { PasskeyRegister } from '../../components/passkey-register'
import { AuthCard } from '../../components/ui/card'
import { Notice } from '../../components/ui/notice'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { listPasskeys, removePasskey, renamePasskey } from '../../modules/passkeys/manage.server'
import { PASSKEYS_PAGE } from '../../modules/passkeys/registration.server'
import { PASSKEY_NAME_MAX, PasskeyIdSchema, PasskeyNameSchema } from '../../modules/passkeys/schema'
import { requireUser, safeRedirectPath } from '../../modules/sessions/session.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Passkeys · ${data?.orgName ?? ''}` }]

function requirePasskeys(context: LoaderFunctionArgs['context']) {
	if (!context.org.settings.passkeys) throw data('Not found', { status: 404 })
}

/** Every change here needs a recent sign-in; a user made to set up MFA may use the page. */
async function requireRecentUser({ request, context }: LoaderFunctionArgs) {
	requirePasskeys(context)
	const current = await requireUser(request, context, { allowMfaSetup: true })
	await requireRecentAuthentication(request, context, current)
	return current
}

const NOTICES = { added: 'Passkey added.', renamed: 'Passkey renamed.', removed: 'Passkey removed.' } as const

export async function loader(args: LoaderFunctionArgs) {
	const { user } = await requireRecentUser(args)
	const url = new URL(args.request.url)
	const notice = url.searchParams.get('notice')
	const requested = url.searchParams.get('redirectTo')
	return {
		orgName: displayNameOf(args.context.org.branding.document, args.context.org),
		passkeys: await listPasskeys(args.context, user.id),
		setupRequired: url.searchParams.get('setup') === 'required',
		// After adding one: where the user was heading (MFA set-up), else back here with a notice.
		afterAdding: requested ? safeRedirectPath(requested) : `${PASSKEYS_PAGE}?notice=added`,
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null,
	}
}

type ActionErrors = { passkeyId: string; error: string }

/** Rename or remove one of the user's own passkeys (plain forms: no JavaScript needed). */
export async function action(args: ActionFunctionArgs) {
	const { user } = await requireRecentUser(args)
	const form = await readFormData(args.request)
	const intent = form.get('intent')
	const id = PasskeyIdSchema.safeParse(form.get('passkeyId'))
	if (!id.success || (intent !== 'rename' && intent !== 'remove')) throw data('Unknown action.', { status: 400 })
	const passkeyId = id.data
	if (intent === 'rename') {
		const name = PasskeyNameSchema.safeParse(form.get('name') ?? '')
		if (!name.success) return data<ActionErrors>({ passkeyId, error: name.error.issues[0]?.message ?? 'Enter a name.' }, { status: 400 })
		if (!(await renamePasskey(args.context, user, passkeyId, name.data))) throw data('That passkey is not one of yours, or it was removed.', { status: 404 })
		throw redirect(`${PASSKEYS_PAGE}?notice=renamed`)
	}
	const removed = await removePasskey(args.context, user, passkeyId)
	if (!removed.ok && removed.status === 404) throw data(removed.message, { status: 404 })
	if (!removed.ok) return data<ActionErrors>({ passkeyId, error: removed.message }, { status: removed.status })
	throw redirect(`${PASSKEYS_PAGE}?notice=removed`)
}

const day = (iso: string) => iso.slice(0, 10)

export default function PasskeysPage() {
	const { orgName, passkeys, setupRequired, afterAdding, notice } = useLoaderData<typeof loader>()
	const failed = useActionData<ActionErrors>()
	return (
		<AuthCard
			page="account-passkeys"
			title="Passkeys"
			footer={
				<Link className="text-link underline" to="/account/security">
					Back to security settings
				</Link>
			}
		>
			{setupRequired ? <Notice>{orgName} requires a second factor. Add a passkey to continue.</Notice> : null}
			{notice ? <Notice>{notice}</Notice> : null}
			<p className="mb-4 text-sm text-muted">
				A passkey signs you in with your device&apos;s screen lock or a security key, without a password. It works only on this address, and
				counts as a second factor.
			</p>
			{passkeys.length ? (
				<ul className="mb-6 flex flex-col gap-3" aria-label="Your passkeys">
					{passkeys.map((passkey) => (
						<li key={passkey.id} className="flex flex-col gap-2 rounded-brand border border-border p-3 text-sm" data-testid="passkey">
							<span>
								<span className="font-medium">{passkey.name}</span>
								<span className="block text-xs text-muted">
									{passkey.synced ? 'Synced passkey' : 'Passkey on one device'} · for {passkey.rpId} · added <time dateTime={passkey.createdAt}>{day(passkey.createdAt)}</time> ·{' '}
									{passkey.lastUsedAt ? (
										<>
											last used <time dateTime={passkey.lastUsedAt}>{day(passkey.lastUsedAt)}</time>
										</>
									) : (
										'never used'
									)}
								</span>
							</span>
							{failed?.passkeyId === passkey.id ? (
								<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-danger-foreground">
									{failed.error}
								</p>
							) : null}
							<div className="flex flex-wrap items-center gap-2">
								<Form method="POST" className="flex flex-1 items-center gap-2">
									<input type="hidden" name="passkeyId" value={passkey.id} />
									<input
										name="name"
										defaultValue={passkey.name}
										aria-label={`New name for ${passkey.name}`}
										maxLength={PASSKEY_NAME_MAX}
										required
										className="min-w-0 flex-1 rounded-brand border border-border bg-background px-2 py-1 text-foreground"
									/>
									<button type="submit" name="intent" value="rename" className="rounded-brand border border-border px-2 py-1 text-link underline" aria-label={`Rename ${passkey.name}`}>
										Rename
									</button>
								</Form>
								<Form method="POST">
									<input type="hidden" name="passkeyId" value={passkey.id} />
									<button type="submit" name="intent" value="remove" className="rounded-brand border border-border px-2 py-1 text-link underline" aria-label={`Remove ${passkey.name}`}>
										Remove
									</button>
								</Form>
							</div>
						</li>
					))}
				</ul>
			) : (
				<p className="mb-6 text-sm text-foreground">You have no passkeys yet.</p>
			)}
			<PasskeyRegister redirectTo={afterAdding} maxNameLength={PASSKEY_NAME_MAX} />
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
