import * as oidc from 'openid-client'
import { fetch, type Response } from 'undici'
import { expect } from 'vitest'
import { type Foyer } from './foyer'
import { type Client, loopback } from './http'

/** openid-client, the relying party under test, speaking to Foyer over loopback. */
const loopbackFetch = ((url: string, options: Parameters<typeof fetch>[1]) => fetch(url, { ...options, dispatcher: loopback })) as unknown as oidc.CustomFetch

export type RegisteredApp = { clientId: string; clientSecret?: string; issuer: string; redirectUris: string[] }

export async function registerApp(foyer: Foyer, slug: string, args: string[]): Promise<RegisteredApp> {
	const result = await foyer.cli(['apps', 'create', '--org', slug, ...args, '--json'])
	expect(result.code, result.stderr).toBe(0)
	return result.json as unknown as RegisteredApp
}

export async function relyingParty(app: RegisteredApp) {
	const auth = app.clientSecret ? oidc.ClientSecretBasic(app.clientSecret) : oidc.None()
	const config = await oidc.discovery(new URL(app.issuer), app.clientId, undefined, auth, {
		execute: [oidc.allowInsecureRequests],
		[oidc.customFetch]: loopbackFetch,
	})
	config[oidc.customFetch] = loopbackFetch
	return config
}

export async function authorizationRequest(config: oidc.Configuration, params: Record<string, string>) {
	const verifier = oidc.randomPKCECodeVerifier()
	const state = oidc.randomState()
	const url = oidc.buildAuthorizationUrl(config, {
		scope: 'openid email profile',
		code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
		...params,
	})
	return { url, verifier, state }
}

export type Journey = { callback?: URL; visited: string[]; consentHtml?: string; last: Response }

/**
 * Follows redirects like a browser until it reaches the app's redirect URI, signing in on
 * Foyer's /login when sent there, and answering a consent page when one is shown.
 */
export async function walk(browser: Client, start: URL | string, options: { redirectUri: string; credentials?: { email: string; password: string }; consent?: 'allow' | 'deny' | 'stop' }): Promise<Journey> {
	const visited: string[] = []
	let url = new URL(start)
	for (let step = 0; step < 20; step++) {
		if (url.href.startsWith(options.redirectUri)) return { callback: url, visited, last: undefined as unknown as Response }
		visited.push(`${url.pathname}${url.search}`)
		const response = await browser.request(url.href)
		const location = response.headers.get('location')
		if (location) {
			url = new URL(location, url)
			continue
		}
		const html = await response.text()
		if (url.pathname === '/login' && options.credentials && response.status === 200) {
			const login = await browser.post(url.href, { ...options.credentials, redirectTo: url.searchParams.get('redirectTo') ?? '' }, { origin: url.origin })
			const next = login.headers.get('location')
			if (!next) throw new Error(`sign-in failed with ${login.status}`)
			url = new URL(next, url)
			continue
		}
		if (url.pathname.startsWith('/interaction/') && html.includes('value="allow"')) {
			if (!options.consent || options.consent === 'stop') return { visited, consentHtml: html, last: response }
			const answer = await browser.post(url.href, { intent: options.consent }, { origin: url.origin })
			url = new URL(answer.headers.get('location')!, url)
			continue
		}
		return { visited, last: response }
	}
	throw new Error(`too many redirects: ${visited.join(' → ')}`)
}

/** Signs in through the whole code + PKCE flow and redeems the code. */
export async function signInThroughApp(config: oidc.Configuration, browser: Client, options: { redirectUri: string; credentials?: { email: string; password: string }; params?: Record<string, string>; consent?: 'allow' | 'deny' }) {
	const request = await authorizationRequest(config, { redirect_uri: options.redirectUri, ...options.params })
	const journey = await walk(browser, request.url, options)
	if (!journey.callback) throw new Error(`the flow did not return to the app: ${journey.visited.join(' → ')} (${journey.last?.status})`)
	const tokens = await oidc.authorizationCodeGrant(config, journey.callback, { pkceCodeVerifier: request.verifier, expectedState: request.state })
	return { tokens, journey, request }
}

export { oidc }
