import { beforeAll, describe, expect, it } from 'vitest'
import { latestOutboxEmail, PASSWORD, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { SoftAuthenticator } from '../setup/soft-authenticator'
import { enrolTotp } from '../setup/totp'
import { oidc, registerApp, relyingParty, signInThroughApp, type RegisteredApp } from '../setup/oidc'
import { submitLink } from './email-flows.fixtures'
import { postJson } from './passkeys.fixtures'
import { smsHelpers, uniquePhone } from './sms.fixtures'

/**
 * Everything that ends a user's sign-ins or takes a credential away also ends their apps' grants:
 * a refresh token (offline_access) got before the change is refused with invalid_grant after it,
 * and userinfo refuses the access tokens issued under the grant. The relying party is openid-client
 * against the built server (access tokens are opaque, looked up through the adapter, so deleting
 * the grant's rows ends them); each user's browser speaks from an IP of its own (TRUST_PROXY), so the
 * send limits of one test never touch another.
 */
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })
const { browser, newUser, requestCode } = smsHelpers(foyer)
const CALLBACK = 'https://app.example/callback'
const NEW_PASSWORD = 'marble lantern orchard 77'
let app: RegisteredApp
let owner: Client

beforeAll(async () => {
	app = await registerApp(foyer, 'acme', ['--name', 'Acme Web', '--type', 'web', '--redirect-uri', CALLBACK, '--first-party'])
	owner = browser('acme')
	const signedIn = await owner.post('/login', { email: foyer.admins.acme!.email, password: foyer.admins.acme!.password })
	expect(signedIn.status).toBe(302)
})

type AppTokens = { sub: string; refreshToken: string; accessTokens: string[] }

/**
 * The app signs the browser's user in with offline_access, then refreshes once: both access
 * tokens and the newest refresh token are what the app holds, all of them working.
 */
async function appTokens(client: Client): Promise<AppTokens> {
	const config = await relyingParty(app)
	const { tokens } = await signInThroughApp(config, client, { redirectUri: CALLBACK, params: { scope: 'openid email offline_access', prompt: 'consent' } })
	const sub = tokens.claims()!.sub
	const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
	expect(refreshed.refresh_token).toBeTruthy()
	expect(await oidc.fetchUserInfo(config, refreshed.access_token, sub)).toMatchObject({ sub })
	return { sub, refreshToken: refreshed.refresh_token!, accessTokens: [tokens.access_token, refreshed.access_token] }
}

async function expectEnded(tokens: AppTokens) {
	const config = await relyingParty(app)
	await expect(oidc.refreshTokenGrant(config, tokens.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' })
	for (const accessToken of tokens.accessTokens) {
		await expect(oidc.fetchUserInfo(config, accessToken, tokens.sub)).rejects.toMatchObject({ status: 401, cause: [{ parameters: { error: 'invalid_token' } }] })
		expect((await oidc.tokenIntrospection(config, accessToken)).active).toBe(false)
	}
}

async function latestEventData(type: string, userId: string) {
	const [event] = await foyer.sql<{ data: Record<string, unknown> }>(`SELECT data FROM "AuditEvent" WHERE type = $1 AND "targetId" = $2 ORDER BY seq DESC LIMIT 1`, [type, userId])
	expect(event, `${type} for ${userId}`).toBeTruthy()
	return event!.data
}

const grantsLeft = async (userId: string) =>
	Number((await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "OidcPayload" WHERE model = 'Grant' AND payload->>'accountId' = $1`, [userId]))[0]!.n)

describe('the user changes a credential', () => {
	it('a password reset by the emailed link ends the apps’ grants', async () => {
		const { email, client } = await newUser('reset')
		const tokens = await appTokens(client)
		const since = new Date(Date.now() - 1000)
		expect((await browser('acme').post('/forgot-password', { email })).status).toBe(200)
		const token = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'reset-password', after: since })).text)
		expect((await submitLink(browser('acme'), token, { password: NEW_PASSWORD })).status).toBe(302)
		await expectEnded(tokens)
		expect(await latestEventData('user.password_reset', tokens.sub)).toMatchObject({ grantsRevoked: 1 })
		expect(await grantsLeft(tokens.sub)).toBe(0)
	})

	it('changing the password ends the apps’ grants and keeps this browser signed in', async () => {
		const { client } = await newUser('change')
		const tokens = await appTokens(client)
		const changed = await client.post('/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
		expect(changed.headers.get('location')).toBe('/account?notice=password-changed')
		await expectEnded(tokens)
		expect((await client.request('/account')).status).toBe(200)
		expect(await latestEventData('user.password_changed', tokens.sub)).toMatchObject({ grantsRevoked: 1 })
		// The app can sign this browser in again, with a grant of its own.
		await appTokens(client)
	})

	it('"Sign out all other devices" ends the apps’ grants too, not this browser', async () => {
		const { client } = await newUser('others')
		const tokens = await appTokens(client)
		expect((await client.post('/account/sessions', { intent: 'revoke-others' })).status).toBe(302)
		await expectEnded(tokens)
		expect((await client.request('/account')).status).toBe(200)
		expect(await latestEventData('user.sessions_revoked', tokens.sub)).toMatchObject({ allButCurrent: true, grantsRevoked: 1 })
	})
})

describe('the user removes a second factor', () => {
	it('removing the authenticator app ends the apps’ grants', async () => {
		const { email, client } = await newUser('totp')
		await enrolTotp(foyer, client, email)
		const tokens = await appTokens(client)
		expect((await client.post('/account/security', { intent: 'remove-totp' })).status).toBe(302)
		await expectEnded(tokens)
		expect(await latestEventData('mfa.totp_removed', tokens.sub)).toMatchObject({ grantsRevoked: 1 })
	})

	it('removing a passkey ends the apps’ grants', async () => {
		const { client } = await newUser('passkey')
		const ip = (client as Client & { ip: string }).ip
		const authenticator = new SoftAuthenticator()
		const start = await postJson(client, '/passkeys/registration-options', {}, ip)
		const response = authenticator.register(start.json.options as Parameters<SoftAuthenticator['register']>[0], client.origin)
		expect((await postJson(client, '/passkeys/registration', { response }, ip)).status).toBe(200)
		const tokens = await appTokens(client)
		const [passkey] = await foyer.sql<{ id: string }>(`SELECT id FROM "Passkey" WHERE "userId" = $1`, [tokens.sub])
		expect((await client.post('/account/passkeys', { intent: 'remove', passkeyId: passkey!.id })).headers.get('location')).toBe('/account/passkeys?notice=removed')
		await expectEnded(tokens)
		const [event] = await foyer.sql<{ data: Record<string, unknown> }>(`SELECT data FROM "AuditEvent" WHERE type = 'mfa.passkey_removed' AND "targetId" = $1`, [passkey!.id])
		expect(event?.data).toMatchObject({ grantsRevoked: 1 })
	})

	it('removing the phone number ends the apps’ grants', async () => {
		const { client } = await newUser('phone')
		const phone = uniquePhone()
		const { code } = await requestCode(client, phone)
		expect((await client.post(`/account/phone?pending=${encodeURIComponent(phone.e164)}`, { intent: 'verify', phone: phone.e164, code })).status).toBe(302)
		const tokens = await appTokens(client)
		expect((await client.post('/account/phone', { intent: 'remove' })).headers.get('location')).toBe('/account/phone?notice=removed')
		await expectEnded(tokens)
		expect(await latestEventData('mfa.phone_removed', tokens.sub)).toMatchObject({ grantsRevoked: 1 })
	})
})

describe('an admin acts on the user', () => {
	for (const [intent, type] of [
		['force-password-reset', 'user.password_reset_forced'],
		['revoke-sessions', 'user.sessions_revoked'],
		['remove-factors', 'user.factors_removed'],
	] as const) {
		it(`${intent} ends the user’s apps’ grants`, async () => {
			const { client } = await newUser(intent)
			const tokens = await appTokens(client)
			expect((await owner.post(`/admin/users/${tokens.sub}`, { intent })).status).toBe(302)
			await expectEnded(tokens)
			expect(await latestEventData(type, tokens.sub)).toMatchObject({ grantsRevoked: 1 })
		})
	}

	it('disable ends the grants for good: enabling the user again brings no token back', async () => {
		const { client } = await newUser('disable')
		const tokens = await appTokens(client)
		expect((await owner.post(`/admin/users/${tokens.sub}`, { intent: 'disable' })).status).toBe(302)
		// Disabled: oidc-provider's findAccount finds nobody, so every token is refused at once...
		await expectEnded(tokens)
		// ...and the grants are gone, so nothing revives with the account.
		expect((await owner.post(`/admin/users/${tokens.sub}`, { intent: 'enable' })).status).toBe(302)
		await expectEnded(tokens)
		expect(await grantsLeft(tokens.sub)).toBe(0)
		expect(await latestEventData('user.disabled', tokens.sub)).toMatchObject({ grantsRevoked: 1 })
	})
})

describe('the account goes, or the Management API disables it', () => {
	async function api(path: string, key: string, method: string, body?: unknown) {
		const response = await browser('acme').request(path, {
			method,
			origin: null,
			headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		})
		return response.status
	}

	it('deleting the account (by the user, an admin or an API key) ends its grants; an API disable does too, for good', async () => {
		const made = await foyer.cli(['api-keys', 'create', '--org', 'acme', '--name', 'tokens', '--allow', 'user:read,user:update,user:delete', '--json'])
		expect(made.code, made.stderr).toBe(0)
		const key = String(made.json!.key)

		const self = await newUser('self-delete')
		const own = await appTokens(self.client)
		expect((await self.client.post('/account/delete', { confirmEmail: self.email })).status).toBe(302)
		await expectEnded(own)

		const byAdmin = await appTokens((await newUser('admin-delete')).client)
		expect((await owner.post(`/admin/users/${byAdmin.sub}`, { intent: 'delete', confirm: 'on' })).status).toBe(302)
		await expectEnded(byAdmin)

		const byKey = await appTokens((await newUser('api-delete')).client)
		expect(await api(`/api/v1/users/${byKey.sub}`, key, 'DELETE')).toBe(204)
		await expectEnded(byKey)
		for (const tokens of [own, byAdmin, byKey]) expect(await latestEventData('user.deleted', tokens.sub)).toMatchObject({ grantsRevoked: 1 })

		const disabled = await appTokens((await newUser('api-disable')).client)
		expect(await api(`/api/v1/users/${disabled.sub}`, key, 'PATCH', { disabled: true })).toBe(200)
		expect(await api(`/api/v1/users/${disabled.sub}`, key, 'PATCH', { disabled: false })).toBe(200)
		await expectEnded(disabled)
		expect(await latestEventData('user.disabled', disabled.sub)).toMatchObject({ sessionsRevoked: 1, grantsRevoked: 1 })
	})
})

describe('what it does not touch', () => {
	it('revoking one other session, or another user’s sign-ins, leaves the grants alone', async () => {
		const { email, client } = await newUser('one-session')
		const tokens = await appTokens(client)
		expect((await browser('acme').post('/login', { email, password: PASSWORD })).status).toBe(302)
		const [newest] = await foyer.sql<{ id: string }>(`SELECT id FROM "Session" WHERE "userId" = $1 AND "revokedAt" IS NULL ORDER BY "createdAt" DESC LIMIT 1`, [tokens.sub])
		expect((await client.post('/account/sessions', { intent: 'revoke', sessionId: newest!.id })).status).toBe(302)
		const neighbour = await newUser('neighbour')
		const theirs = await appTokens(neighbour.client)
		expect((await owner.post(`/admin/users/${theirs.sub}`, { intent: 'revoke-sessions' })).status).toBe(302)
		await expectEnded(theirs)

		const config = await relyingParty(app)
		const again = await oidc.refreshTokenGrant(config, tokens.refreshToken)
		expect(await oidc.fetchUserInfo(config, again.access_token, tokens.sub)).toMatchObject({ sub: tokens.sub })
		expect(await grantsLeft(tokens.sub)).toBe(1)
	})
})
