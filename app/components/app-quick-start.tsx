import { type AppType } from '../modules/apps/schema'

export type QuickStartApp = {
	clientId: string
	type: AppType
	redirectUris: string[]
	postLogoutRedirectUris: string[]
}

/** Mirrors toClientMetadata (modules/oidc/clients.server.ts): confidential types send a secret with HTTP Basic. */
export function tokenEndpointAuthMethod(type: AppType) {
	return type === 'web' || type === 'm2m' ? 'client_secret_basic' : 'none'
}

/** A JavaScript string literal; client ids and registered URIs never hold quotes, but a snippet must stay valid. */
const js = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** The settings an app developer types into any OIDC library, as aligned plain text. */
export function quickStartSettings(origin: string, app: QuickStartApp) {
	const rows: Array<[string, string]> = [
		['Issuer', origin],
		['Discovery URL', `${origin}/.well-known/openid-configuration`],
		['Client ID', app.clientId],
		['Client secret', app.type === 'web' || app.type === 'm2m' ? 'shown once when the app was created' : 'none (public client)'],
		['Token endpoint auth', tokenEndpointAuthMethod(app.type)],
	]
	if (app.type === 'm2m') {
		rows.push(['Grant type', 'client_credentials'])
	} else {
		rows.push(
			['Grant types', 'authorization_code, refresh_token'],
			['PKCE', 'required, code_challenge_method=S256'],
			['Scopes', 'openid email profile (add offline_access for a refresh token)'],
			[app.redirectUris.length > 1 ? 'Redirect URIs' : 'Redirect URI', app.redirectUris.join(', ') || '(none yet)'],
		)
		if (app.postLogoutRedirectUris.length) rows.push([app.postLogoutRedirectUris.length > 1 ? 'Post-logout redirect URIs' : 'Post-logout redirect URI', app.postLogoutRedirectUris.join(', ')])
	}
	const width = Math.max(...rows.map(([label]) => label.length)) + 2
	return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n')
}

/** A short openid-client (npm, v6) program for the app's type. */
export function quickStartSnippet(origin: string, app: QuickStartApp) {
	const confidential = app.type === 'web' || app.type === 'm2m'
	const auth = confidential ? 'client.ClientSecretBasic(process.env.CLIENT_SECRET)' : 'client.None()'
	// openid-client refuses plain-HTTP issuers unless told; only development origins are http.
	const insecure = origin.startsWith('http:') ? `,\n\t// Only because this issuer is plain HTTP (development):\n\t{ execute: [client.allowInsecureRequests] },` : ','
	const head = [
		'// npm install openid-client',
		"import * as client from 'openid-client'",
		'',
		`const config = await client.discovery(\n\tnew URL(${js(origin)}),\n\t${js(app.clientId)},\n\tundefined,\n\t${auth}${insecure}\n)`,
	]
	if (app.type === 'm2m') {
		return [...head, '', '// Client credentials: a token for this app itself, no user involved.', 'const tokens = await client.clientCredentialsGrant(config)', 'console.log(tokens.access_token)'].join('\n')
	}
	const redirectUri = app.redirectUris[0] ?? 'https://app.example.com/callback'
	const lines = [
		...head,
		'',
		'// 1. Sign-in: keep codeVerifier and state (e.g. in the session), then redirect the browser.',
		'const codeVerifier = client.randomPKCECodeVerifier()',
		'const state = client.randomState()',
		'const authorizationUrl = client.buildAuthorizationUrl(config, {',
		`\tredirect_uri: ${js(redirectUri)},`,
		"\tscope: 'openid email profile',",
		'\tcode_challenge: await client.calculatePKCECodeChallenge(codeVerifier),',
		"\tcode_challenge_method: 'S256',",
		'\tstate,',
		'})',
		'',
		'// 2. Back on the redirect URI: currentUrl is the full URL the browser arrived at.',
		'const tokens = await client.authorizationCodeGrant(config, currentUrl, {',
		'\tpkceCodeVerifier: codeVerifier,',
		'\texpectedState: state,',
		'})',
		'console.log(tokens.claims()) // sub, email, ...',
	]
	const postLogout = app.postLogoutRedirectUris[0]
	if (postLogout) {
		lines.push(
			'',
			'// 3. Sign-out: send the browser to logoutUrl.',
			'const logoutUrl = client.buildEndSessionUrl(config, {',
			'\tid_token_hint: tokens.id_token,',
			`\tpost_logout_redirect_uri: ${js(postLogout)},`,
			'})',
		)
	}
	return lines.join('\n')
}

const preClass = 'overflow-x-auto [tab-size:2] rounded-brand border border-border bg-background p-3 font-mono text-xs leading-relaxed text-foreground'

/** Copy-paste text for the app's developer: settings first, then a minimal working program. */
export function AppQuickStart({ origin, app }: { origin: string; app: QuickStartApp }) {
	return (
		<section aria-labelledby="quick-start-heading" className="flex flex-col gap-3">
			<h2 id="quick-start-heading" className="text-base font-semibold">
				Quick start
			</h2>
			<p className="text-sm text-muted">
				Give these to the app&apos;s developer. Any OpenID Connect library works; the example uses{' '}
				<a className="text-link underline" href="https://www.npmjs.com/package/openid-client">
					openid-client
				</a>
				.
			</p>
			{/* tabIndex: a scrollable region must be reachable by keyboard. */}
			<pre tabIndex={0} aria-label="Connection settings" data-testid="quick-start-settings" className={preClass}>
				{quickStartSettings(origin, app)}
			</pre>
			<pre tabIndex={0} aria-label="Example code" data-testid="quick-start-code" className={preClass}>
				{quickStartSnippet(origin, app)}
			</pre>
		</section>
	)
}
