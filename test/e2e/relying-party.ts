import http from 'node:http'
import { type AddressInfo } from 'node:net'
import * as oidc from 'openid-client'
import { fetch } from 'undici'
import { loopback } from '../setup/http'
import { foyer } from './cli'

/** Registers an app in an org with the `foyer` CLI against the e2e server's data dir. */
export async function registerApp(slug: string, args: string[]) {
	const stdout = await foyer(['apps', 'create', '--org', slug, ...args, '--json'])
	return JSON.parse(stdout) as { clientId: string; clientSecret?: string; issuer: string }
}

/**
 * A real relying party on localhost, as an app developer would write it with openid-client:
 * /start sends the browser to Foyer (code + PKCE), /cb redeems the code and shows who signed in.
 */
export async function startRelyingParty(options: { slug: string; name: string; firstParty?: boolean }) {
	const server = http.createServer()
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const origin = `http://localhost:${(server.address() as AddressInfo).port}`
	const app = await registerApp(options.slug, ['--name', options.name, '--type', 'web', '--redirect-uri', `${origin}/cb`, ...(options.firstParty ? ['--first-party'] : [])])
	const loopbackFetch = ((url: string, init: Parameters<typeof fetch>[1]) => fetch(url, { ...init, dispatcher: loopback })) as unknown as oidc.CustomFetch
	const config = await oidc.discovery(new URL(app.issuer), app.clientId, undefined, oidc.ClientSecretBasic(app.clientSecret!), { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: loopbackFetch })
	config[oidc.customFetch] = loopbackFetch
	const pending = new Map<string, string>()

	server.on('request', async (req, res) => {
		const url = new URL(req.url ?? '/', origin)
		try {
			if (url.pathname === '/start') {
				const verifier = oidc.randomPKCECodeVerifier()
				const state = oidc.randomState()
				pending.set(state, verifier)
				const target = oidc.buildAuthorizationUrl(config, { redirect_uri: `${origin}/cb`, scope: 'openid email', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' })
				res.writeHead(302, { location: target.href }).end()
				return
			}
			if (url.pathname === '/cb') {
				if (url.searchParams.get('error')) {
					res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Not signed in: ${url.searchParams.get('error')}</h1>`)
					return
				}
				const state = url.searchParams.get('state') ?? ''
				const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: pending.get(state), expectedState: state })
				res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>${options.name}: signed in as ${tokens.claims()!.email}</h1>`)
				return
			}
			res.writeHead(404).end()
		} catch (error) {
			res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
		}
	})
	return { origin, app, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
