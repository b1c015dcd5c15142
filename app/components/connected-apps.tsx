import { Form } from '@remix-run/react'
import { scopeText } from './scope-text'

export type ConnectedAppView = { grantId: string; appName: string; scopes: string[]; grantedAt: string | null; lastUsedAt: string | null }

/** `2026-12-01T10:15:00.000Z` → `2026-12-01 10:15`, as on the sessions page (UTC). */
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ')
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/**
 * The apps that can use the account, each with a Revoke button: a plain form POST to /account
 * (intent `revoke-app`), so it works without JavaScript.
 */
export function ConnectedApps({ apps }: { apps: ConnectedAppView[] }) {
	return (
		<section className="mb-6" aria-labelledby="connected-apps">
			<h2 id="connected-apps" className="mb-1 text-sm font-semibold">
				Connected apps
			</h2>
			{apps.length === 0 ? (
				<p className="text-sm text-muted">No apps have access to your account.</p>
			) : (
				<>
					<p className="mb-2 text-xs text-muted">Revoking an app signs it out: it has to ask you to sign in again.</p>
					<ul className="flex flex-col gap-2" aria-labelledby="connected-apps">
						{apps.map((app) => (
							<li key={app.grantId} className="flex items-start justify-between gap-2 rounded-brand border border-border p-2 text-sm" data-testid="connected-app">
								<span>
									<span className="font-medium">{app.appName}</span>
									<span className="block text-xs text-muted">
										{app.grantedAt ? (
											<>
												Access since <time dateTime={app.grantedAt}>{minute(app.grantedAt)}</time> UTC
											</>
										) : null}
										{app.grantedAt && app.lastUsedAt ? ' · ' : null}
										{app.lastUsedAt ? (
											<>
												last used <time dateTime={app.lastUsedAt}>{minute(app.lastUsedAt)}</time> UTC
											</>
										) : null}
									</span>
									<span className="block text-xs text-muted">Can {app.scopes.length ? app.scopes.map((scope) => lowerFirst(scopeText(scope))).join(', ') : 'sign you in'}</span>
								</span>
								<Form method="POST">
									<input type="hidden" name="grantId" value={app.grantId} />
									<button
										type="submit"
										name="intent"
										value="revoke-app"
										className="rounded-brand border border-border px-2 py-1 text-link underline"
										aria-label={`Revoke access for ${app.appName}`}
									>
										Revoke
									</button>
								</Form>
							</li>
						))}
					</ul>
				</>
			)}
		</section>
	)
}
