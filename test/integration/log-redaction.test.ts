import { expect, it } from 'vitest'
import { latestOutboxEmail, PASSWORD, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { authorizationRequest, registerApp, relyingParty, walk } from '../setup/oidc'

/**
 * One-time secrets in URLs (email-link tokens, OIDC codes and states) never reach the server's log,
 * at the level a production server runs at, while the requests themselves are still logged.
 */
const foyer = foyerPerFile({ env: { LOG_LEVEL: 'info' } })
const CALLBACK = 'https://app.example/callback'

function invitationTokenFrom(text: string) {
	const match = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(text)
	if (!match) throw new Error(`no invitation link in:\n${text}`)
	return match[1]!
}

it('keeps email-link tokens, OIDC codes and states out of the logs, and logs the paths', async () => {
	const secrets: string[] = []
	const logged = foyer.output().length

	// A sign-up's verification link, opened and then used from its page (which sends it as Referer).
	const email = `logs-${Date.now()}@example.com`
	const browser = foyer.client('acme')
	const started = new Date(Date.now() - 1000)
	expect((await browser.post('/signup', { email, password: PASSWORD })).status).toBe(302)
	const verifyToken = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'verify-email', after: started })).text)
	secrets.push(verifyToken)
	const link = `/verify?${new URLSearchParams({ token: verifyToken })}`
	expect((await browser.request(link)).status).toBe(200)
	const used = await browser.post(link, { intent: 'link', token: verifyToken }, { headers: { referer: browser.url(link).href } })
	expect(used.status).toBe(302)

	// An invitation link, opened directly and as the place to return to after signing in.
	const owner = foyer.client('acme')
	expect((await owner.post('/login', foyer.admins.acme!)).status).toBe(302)
	const invitee = `invitee-${Date.now()}@example.com`
	const invited = new Date(Date.now() - 1000)
	expect((await owner.post('/admin/invitations', { intent: 'send', email: invitee, role: 'member' })).status).toBe(201)
	const invitationToken = invitationTokenFrom((await latestOutboxEmail(foyer, invitee, { template: 'invitation', after: invited })).text)
	secrets.push(invitationToken)
	expect((await foyer.client('acme').request(`/invitations/accept?${new URLSearchParams({ token: invitationToken })}`)).status).toBe(200)
	const returnTo = `/invitations/accept?${new URLSearchParams({ token: invitationToken })}`
	expect((await foyer.client('acme').request(`/login?${new URLSearchParams({ redirectTo: returnTo })}`)).status).toBe(200)

	// An app sign-in: the authorization URL's state, the interaction pages, and the callback's code.
	const app = await registerApp(foyer, 'acme', ['--name', 'Logs App', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	const request = await authorizationRequest(await relyingParty(app), { redirect_uri: CALLBACK })
	const journey = await walk(foyer.client('acme'), request.url, { redirectUri: CALLBACK, credentials: { email, password: PASSWORD } })
	const code = journey.callback?.searchParams.get('code')
	expect(code, journey.visited.join(' → ')).toBeTruthy()
	secrets.push(request.state, code!)

	// Request lines are written when the response finishes: let the last ones arrive.
	await new Promise((resolve) => setTimeout(resolve, 300))
	const output = foyer.output().slice(logged)
	for (const path of ['/verify', '/invitations/accept', '/login?redirectTo=', '/oidc/auth', '/interaction/']) expect(output, path).toContain(path)
	for (const secret of secrets) {
		expect(secret.length).toBeGreaterThan(10)
		expect(output, `a secret of ${secret.length} characters is in the log`).not.toContain(secret)
		expect(output).not.toContain(encodeURIComponent(secret))
	}
})
