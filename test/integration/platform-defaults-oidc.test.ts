import { afterAll, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { authorizationRequest, registerApp, relyingParty, walk } from '../setup/oidc'

/**
 * A change of the platform defaults (made by the CLI, another process, heard over pg NOTIFY) reaches
 * the org's OpenID Provider too, not only the hosted pages: its cached provider was built from the
 * org's settings as they were.
 */
const foyer = foyerPerFile()
const CALLBACK = 'https://app.example/callback'

afterAll(async () => {
	await foyer.cli(['defaults', 'set', 'mfaPolicy='])
})

it('after `foyer defaults set mfaPolicy=required` a signed-in aal1 user no longer gets a code silently', async () => {
	const app = await registerApp(foyer, 'acme', ['--name', 'Defaults App', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	const config = await relyingParty(app)
	const email = `defaults-${Date.now()}@example.com`
	const browser = await signUpVerified(foyer, 'acme', email)

	// Signed in once through the app, the next authorization completes without a page.
	const first = await walk(browser, (await authorizationRequest(config, { redirect_uri: CALLBACK })).url, { redirectUri: CALLBACK, credentials: { email, password: PASSWORD } })
	expect(first.callback, first.visited.join(' → ')).toBeDefined()
	const silent = await walk(browser, (await authorizationRequest(config, { redirect_uri: CALLBACK })).url, { redirectUri: CALLBACK })
	expect(silent.callback?.searchParams.get('code'), silent.visited.join(' → ')).toBeTruthy()

	const set = await foyer.cli(['defaults', 'set', 'mfaPolicy=required'])
	expect(set.code, set.stderr).toBe(0)
	// The hosted pages follow once the server has heard of the change: wait for that, then ask the provider.
	const deadline = Date.now() + 10_000
	while ((await browser.request('/account')).headers.get('location') !== '/account/security?setup=required&redirectTo=%2Faccount') {
		expect(Date.now(), 'the server never applied the new defaults to its pages').toBeLessThan(deadline)
		await new Promise((resolve) => setTimeout(resolve, 100))
	}

	const after = await walk(browser, (await authorizationRequest(config, { redirect_uri: CALLBACK })).url, { redirectUri: CALLBACK })
	expect(after.callback, `still silent at aal1: ${after.visited.join(' → ')}`).toBeUndefined()
	expect(after.visited.at(-1)).toMatch(/^\/account\/security\?setup=required&redirectTo=%2Finteraction%2F/)
})
