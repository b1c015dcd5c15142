import { beforeAll, describe, expect, it } from 'vitest'
import { codeFrom, latestOutboxEmail, PASSWORD, signUpVerified, tokenFrom } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * Per-org sign-in settings through the CLI (`orgs set`, `orgs settings`, `defaults set`), and the
 * running server following each change without a restart: the CLI announces it over pg NOTIFY and
 * the server drops its cached org (which would otherwise live 30 s), so pages change within a
 * moment. Every test has an org of its own, loaded once before the change so it is cached.
 */
const foyer = foyerPerFile()

const DEFAULTS = {
	passwordSignIn: true,
	magicLinkSignIn: true,
	emailCodeSignIn: true,
	signUpMode: 'open',
	emailVerificationRequired: false,
	passwordMinLength: 15,
	mfaPolicy: 'optional',
	smsSecondFactor: true,
	passkeys: true,
	newDeviceEmail: true,
	sessionIdleMinutes: 4320,
	sessionAbsoluteMinutes: 43_200,
}

const ORGS = ['cli-set', 'dflt-a', 'dflt-b', 'no-link', 'no-code', 'no-pw', 'no-signup', 'verify-req', 'min-len', 'idle'] as const

/** Well under the org cache's 30 s lifetime: only the NOTIFY makes a page change this fast. */
const RELOAD = { timeout: 3000, interval: 50 }

/** Every CLI call starts a process that boots Foyer; these tests make several. */
const SLOW = { timeout: 240_000 }

beforeAll(async () => {
	// One at a time: each is a CLI process, and a busy machine makes parallel ones time out.
	for (const slug of ORGS) {
		const created = await foyer.cli(['orgs', 'create', '--name', `Org ${slug}`, '--slug', slug, '--json'])
		expect(created.code, created.stderr).toBe(0)
	}
})

async function orgSet(slug: string, ...assignments: string[]) {
	const result = await foyer.cli(['orgs', 'set', '--org', slug, ...assignments, '--json'])
	expect(result.code, result.stderr).toBe(0)
	return result.json as { org: string; settings: Record<string, unknown>; changed: Record<string, { from: unknown; to: unknown }> }
}

async function storedSettings(slug: string) {
	const [row] = await foyer.sql<{ settings: unknown }>('SELECT settings FROM "Organization" WHERE slug = $1', [slug])
	return row!.settings
}

async function auditEvents(slug: string, type: string) {
	return foyer.sql<{ data: { changes: Record<string, { from: unknown; to: unknown }> } }>(
		`SELECT e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 AND e.type = $2 ORDER BY e.seq`,
		[slug, type],
	)
}

/** A page as a fresh anonymous visitor sees it. */
async function page(slug: string, path: string) {
	const response = await foyer.client(slug).request(path)
	return { status: response.status, html: await response.text() }
}

const status = async (slug: string, path: string) => (await page(slug, path)).status
const html = async (slug: string, path: string) => (await page(slug, path)).html

describe('foyer orgs set and orgs settings', SLOW, () => {
	it('stores only the overrides, prints the result as one JSON object and audits each change with from and to', async () => {
		const set = await foyer.cli(['orgs', 'set', '--org', 'cli-set', 'passwordMinLength=20', 'magicLinkSignIn=false', 'emailSenderName=Support Desk', '--json'])
		expect(set.code, set.stderr).toBe(0)
		expect(set.stdout.trim().split('\n')).toHaveLength(1)
		const changes = {
			passwordMinLength: { from: 15, to: 20 },
			magicLinkSignIn: { from: true, to: false },
			emailSenderName: { from: null, to: 'Support Desk' },
		}
		expect(set.json).toEqual({ org: 'cli-set', settings: { ...DEFAULTS, passwordMinLength: 20, magicLinkSignIn: false, emailSenderName: 'Support Desk' }, changed: changes })
		expect(await storedSettings('cli-set')).toEqual({ passwordMinLength: 20, magicLinkSignIn: false, emailSenderName: 'Support Desk' })
		expect(await auditEvents('cli-set', 'org.settings_changed')).toEqual([{ data: { changes } }])

		const shown = await foyer.cli(['orgs', 'settings', '--org', 'cli-set', '--json'])
		expect(shown.code, shown.stderr).toBe(0)
		expect(shown.json).toEqual({ org: 'cli-set', settings: { ...DEFAULTS, passwordMinLength: 20, magicLinkSignIn: false, emailSenderName: 'Support Desk' } })
		const readable = await foyer.cli(['orgs', 'settings', '--org', 'cli-set'])
		expect(readable.stdout).toMatch(/passwordMinLength\s+20/)
		expect(readable.stdout).toMatch(/signUpMode\s+"open"/)

		// key= removes the override: the key follows the defaults again.
		const reset = await orgSet('cli-set', 'passwordMinLength=', 'emailSenderName=')
		expect(reset.changed).toEqual({ passwordMinLength: { from: 20, to: 15 }, emailSenderName: { from: 'Support Desk', to: null } })
		expect(await storedSettings('cli-set')).toEqual({ magicLinkSignIn: false })
		expect(await auditEvents('cli-set', 'org.settings_changed')).toHaveLength(2)

		// Setting what is already in effect changes nothing and records nothing.
		const same = await orgSet('cli-set', 'magicLinkSignIn=false')
		expect(same.changed).toEqual({})
		expect(await auditEvents('cli-set', 'org.settings_changed')).toHaveLength(2)

		expect((await foyer.cli(['audit', 'verify', '--org', 'cli-set', '--json'])).json).toMatchObject({ ok: true })
	})

	it('exits 2 with a message and writes nothing for an unknown key, a bad value or every method off', async () => {
		await orgSet('cli-set', 'passwordMinLength=18')
		const before = { settings: await storedSettings('cli-set'), events: (await auditEvents('cli-set', 'org.settings_changed')).length }
		const cases: [string[], RegExp][] = [
			[['colour=blue'], /colour: unknown setting/],
			[['passwordMinLength=10'], /passwordMinLength: /],
			[['passwordMinLength=twenty'], /passwordMinLength: /],
			[['signUpMode=everyone'], /signUpMode: /],
			[['passwordSignIn=yes'], /passwordSignIn: /],
			[['emailSenderAddress=not-an-address'], /emailSenderAddress: /],
			[['passwordSignIn'], /passwordSignIn: expected key=value/],
			[['passwordSignIn=false', 'magicLinkSignIn=false', 'emailCodeSignIn=false'], /At least one sign-in method must stay on/],
			[['sessionAbsoluteMinutes=60'], /sessionIdleMinutes cannot be longer than sessionAbsoluteMinutes/],
			// One bad word spoils the lot: the good one is not applied either.
			[['passwordMinLength=30', 'colour=blue'], /colour: unknown setting/],
			[['passwordMinLength=30', 'passwordSignIn=false', 'magicLinkSignIn=false', 'emailCodeSignIn=false'], /At least one sign-in method/],
			[[], /nothing to set/],
		]
		for (const [words, message] of cases) {
			const result = await foyer.cli(['orgs', 'set', '--org', 'cli-set', ...words])
			const label = words.join(' ') || '(no words)'
			expect(result.code, `${label}: ${result.stderr}`).toBe(2)
			expect(result.stderr, label).toMatch(message)
			expect(result.stderr, label).toMatch(/usage: foyer orgs set/)
		}
		const json = await foyer.cli(['orgs', 'set', '--org', 'cli-set', 'colour=blue', '--json'])
		expect(json.code).toBe(2)
		expect(json.json).toMatchObject({ ok: false, error: expect.stringContaining('colour: unknown setting') })

		expect(await storedSettings('cli-set')).toEqual(before.settings)
		expect(await auditEvents('cli-set', 'org.settings_changed')).toHaveLength(before.events)
		expect((await foyer.cli(['orgs', 'settings', '--org', 'cli-set', '--json'])).json).toMatchObject({ settings: { passwordMinLength: 18, passwordSignIn: true } })

		const unknownOrg = await foyer.cli(['orgs', 'set', '--org', 'nope', 'passwordMinLength=20'])
		expect(unknownOrg.code).toBe(1)
		expect(unknownOrg.stderr).toContain('no organization')
	})
})

describe('foyer defaults set', SLOW, () => {
	it('applies to every org without an override, an org override wins, and the change is audited in the operator org', async () => {
		await orgSet('dflt-b', 'passwordMinLength=22')
		expect(await html('dflt-a', '/signup')).toContain('At least 15 characters')
		expect(await html('dflt-b', '/signup')).toContain('At least 22 characters')
		try {
			const set = await foyer.cli(['defaults', 'set', 'passwordMinLength=18', 'emailVerificationRequired=true', '--json'])
			expect(set.code, set.stderr).toBe(0)
			const changes = { passwordMinLength: { from: 15, to: 18 }, emailVerificationRequired: { from: false, to: true } }
			expect(set.json).toEqual({ defaults: { passwordMinLength: 18, emailVerificationRequired: true }, changed: changes })
			const [row] = await foyer.sql<{ value: unknown }>(`SELECT value FROM "PlatformSetting" WHERE key = 'orgSettingsDefaults'`)
			expect(row!.value).toEqual({ passwordMinLength: 18, emailVerificationRequired: true })

			const a = await foyer.cli(['orgs', 'settings', '--org', 'dflt-a', '--json'])
			expect(a.json).toEqual({ org: 'dflt-a', settings: { ...DEFAULTS, passwordMinLength: 18, emailVerificationRequired: true } })
			const b = await foyer.cli(['orgs', 'settings', '--org', 'dflt-b', '--json'])
			expect(b.json).toEqual({ org: 'dflt-b', settings: { ...DEFAULTS, passwordMinLength: 22, emailVerificationRequired: true } })
			// The orgs' own rows are untouched: only the platform default changed.
			expect(await storedSettings('dflt-a')).toEqual({})

			expect(await auditEvents('operator', 'platform.defaults_changed')).toEqual([{ data: { changes } }])
			expect(await auditEvents('dflt-a', 'platform.defaults_changed')).toEqual([])
			expect(await auditEvents('dflt-a', 'org.settings_changed')).toEqual([])
			expect((await foyer.cli(['audit', 'verify', '--org', 'operator', '--json'])).json).toMatchObject({ ok: true })

			// The running server follows: the org without an override takes the new default at once.
			await expect.poll(() => html('dflt-a', '/signup'), RELOAD).toContain('At least 18 characters')
			expect(await html('dflt-b', '/signup')).toContain('At least 22 characters')

			const refused = await foyer.cli(['defaults', 'set', 'passwordSignIn=false', 'magicLinkSignIn=false', 'emailCodeSignIn=false'])
			expect(refused.code).toBe(2)
			expect(refused.stderr).toMatch(/At least one sign-in method/)
			const unknown = await foyer.cli(['defaults', 'set', 'colour=blue'])
			expect(unknown.code).toBe(2)
			expect(unknown.stderr).toMatch(/colour: unknown setting/)
			expect(await auditEvents('operator', 'platform.defaults_changed')).toHaveLength(1)
		} finally {
			const reset = await foyer.cli(['defaults', 'set', 'passwordMinLength=', 'emailVerificationRequired=', '--json'])
			expect(reset.code, reset.stderr).toBe(0)
		}
		expect((await foyer.cli(['orgs', 'settings', '--org', 'dflt-a', '--json'])).json).toEqual({ org: 'dflt-a', settings: DEFAULTS })
		await expect.poll(() => html('dflt-a', '/signup'), RELOAD).toContain('At least 15 characters')
	})
})

describe('the running server follows each change without a restart', SLOW, () => {
	it('magicLinkSignIn=false: no link on /login, and /login/link and its links answer 404', async () => {
		const email = 'link@example.com'
		await signUpVerified(foyer, 'no-link', email)
		const started = new Date()
		expect((await foyer.client('no-link').post('/login/link', { email })).status).toBe(200)
		const token = tokenFrom((await latestOutboxEmail(foyer, email, { template: 'magic-link', after: started })).text)
		expect(await html('no-link', '/login')).toContain('Email me a sign-in link')
		expect(await status('no-link', '/login/link')).toBe(200)
		expect(await status('no-link', `/verify?token=${token}`)).toBe(200)

		await orgSet('no-link', 'magicLinkSignIn=false')
		await expect.poll(() => html('no-link', '/login'), RELOAD).not.toContain('Email me a sign-in link')
		const login = await html('no-link', '/login')
		expect(login).not.toContain('href="/login/link"')
		expect(login).toContain('Email me a code')
		expect(login).toContain('name="password"')
		expect(await status('no-link', '/login/link')).toBe(404)
		expect((await foyer.client('no-link').post('/login/link', { email })).status).toBe(404)
		// A link sent before the switch is refused too, on its page and when used.
		expect(await status('no-link', `/verify?token=${token}`)).toBe(404)
		const used = await foyer.client('no-link').post('/verify', { intent: 'link', token })
		expect(used.status).toBe(404)
		expect(used.headers.getSetCookie().some((header) => header.startsWith('sid='))).toBe(false)
	})

	it('emailCodeSignIn=false: no code link on /login, and /login/code and its code page answer 404', async () => {
		const target = `/verify?${new URLSearchParams({ type: 'sign-in-code', target: 'code@example.com' })}`
		expect(await html('no-code', '/login')).toContain('Email me a code')
		expect(await status('no-code', '/login/code')).toBe(200)
		expect(await status('no-code', target)).toBe(200)

		await orgSet('no-code', 'emailCodeSignIn=false')
		await expect.poll(() => status('no-code', '/login/code'), RELOAD).toBe(404)
		const login = await html('no-code', '/login')
		expect(login).not.toContain('Email me a code')
		expect(login).toContain('Email me a sign-in link')
		expect((await foyer.client('no-code').post('/login/code', { email: 'code@example.com' })).status).toBe(404)
		expect(await status('no-code', target)).toBe(404)
		expect((await foyer.client('no-code').post('/verify', { intent: 'code', type: 'sign-in-code', target: 'code@example.com', code: '123456' })).status).toBe(404)
	})

	it('passwordSignIn=false: no password anywhere, and sign-up takes an email alone, verified by code', async () => {
		const existing = await signUpVerified(foyer, 'no-pw', 'had-a-password@example.com')
		expect(await html('no-pw', '/login')).toContain('name="password"')
		expect(await html('no-pw', '/signup')).toContain('name="password"')
		expect(await status('no-pw', '/forgot-password')).toBe(200)
		expect((await existing.request('/account/password')).status).toBe(200)

		await orgSet('no-pw', 'passwordSignIn=false')
		await expect.poll(() => html('no-pw', '/login'), RELOAD).not.toContain('name="password"')
		const login = await html('no-pw', '/login')
		expect(login).not.toContain('type="password"')
		expect(login).not.toContain('Forgot password?')
		expect(login).toContain('Email me a sign-in link')
		expect(login).toContain('Email me a code')
		const post = await foyer.client('no-pw').post('/login', { email: 'had-a-password@example.com', password: PASSWORD })
		expect(post.status).toBe(404)
		expect(post.headers.getSetCookie().some((header) => header.startsWith('sid='))).toBe(false)
		expect(await status('no-pw', '/forgot-password')).toBe(404)
		expect((await foyer.client('no-pw').post('/forgot-password', { email: 'had-a-password@example.com' })).status).toBe(404)
		expect((await existing.request('/account/password')).status).toBe(404)

		const signup = await html('no-pw', '/signup')
		expect(signup).not.toContain('type="password"')
		expect(signup).toContain('name="email"')
		const email = 'no-password@example.com'
		const client = foyer.client('no-pw')
		const started = new Date()
		const response = await client.post('/signup', { email })
		expect(response.status, await response.clone().text()).toBe(302)
		expect(response.headers.get('location')).toBe(`/verify?${new URLSearchParams({ type: 'verify-email', target: email })}`)
		expect(client.cookies().has('sid')).toBe(false)
		const mail = await latestOutboxEmail(foyer, email, { template: 'verify-email', after: started })
		const verified = await client.post('/verify', { intent: 'code', type: 'verify-email', target: email, code: codeFrom(mail.text) })
		expect(verified.status).toBe(302)
		expect(verified.headers.get('location')).toBe('/account')
		expect(await (await client.request('/account')).text()).toContain(email)
		const [user] = await foyer.sql<{ emailVerified: boolean; passwords: string }>(
			'SELECT u."emailVerified", (SELECT count(*) FROM "Password" p WHERE p."userId" = u.id) AS passwords FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE o.slug = $1 AND u.email = $2',
			['no-pw', email],
		)
		expect(user).toEqual({ emailVerified: true, passwords: '0' })
	})

	it('signUpMode=closed and invite: /signup answers 404 and /login offers no account', async () => {
		expect(await status('no-signup', '/signup')).toBe(200)
		expect(await html('no-signup', '/login')).toContain('Create an account')

		for (const mode of ['closed', 'invite']) {
			await orgSet('no-signup', `signUpMode=${mode}`)
			await expect.poll(() => status('no-signup', '/signup'), RELOAD).toBe(404)
			expect(await html('no-signup', '/login'), mode).not.toContain('Create an account')
			expect(await html('no-signup', '/login'), mode).not.toContain('href="/signup')
			const email = `walk-in-${mode}@example.com`
			const post = await foyer.client('no-signup').post('/signup', { email, password: PASSWORD })
			expect(post.status, mode).toBe(404)
			expect(await foyer.sql('SELECT 1 FROM "User" WHERE email = $1', [email])).toHaveLength(0)
			// Back to open between the modes, so each mode is seen to close sign-up by itself.
			await orgSet('no-signup', 'signUpMode=')
			await expect.poll(() => status('no-signup', '/signup'), RELOAD).toBe(200)
			expect(await html('no-signup', '/login')).toContain('Create an account')
		}
	})

	it('emailVerificationRequired=true: the right password of an unverified user leads to the code page, and the code signs in', async () => {
		const created = await foyer.cli(['users', 'create', '--org', 'verify-req', '--email', 'unverified@example.com', '--json'])
		expect(created.code, created.stderr).toBe(0)
		const credentials = { email: 'unverified@example.com', password: created.json!.password as string }
		// While verification is not required, the password alone signs in.
		expect((await foyer.client('verify-req').post('/login', credentials)).headers.get('location')).toBe('/account')

		await orgSet('verify-req', 'emailVerificationRequired=true')
		const codePage = `/verify?${new URLSearchParams({ type: 'verify-email', target: credentials.email })}&reason=unverified`
		const started = new Date()
		// A fresh browser per try: a try that still signed in must not leave its session behind.
		let client = foyer.client('verify-req')
		await expect
			.poll(async () => {
				client = foyer.client('verify-req')
				return (await client.post('/login', credentials)).headers.get('location')
			}, RELOAD)
			.toBe(codePage)
		expect(client.cookies().has('sid')).toBe(false)
		expect((await client.request('/account')).status).toBe(302)
		// A wrong password still gets the one answer for wrong credentials, not the code page.
		const wrong = await foyer.client('verify-req').post('/login', { email: credentials.email, password: 'not the password at all' })
		expect(wrong.status).toBe(400)
		expect(await wrong.text()).toContain('Email or password is incorrect.')

		const shown = await client.request(codePage)
		expect(shown.status).toBe(200)
		expect(await shown.text()).toContain('Verify your email address to finish signing in.')
		const mail = await latestOutboxEmail(foyer, credentials.email, { template: 'verify-email', after: started })
		const verified = await client.post('/verify', { intent: 'code', type: 'verify-email', target: credentials.email, code: codeFrom(mail.text) })
		expect(verified.status).toBe(302)
		expect(verified.headers.get('location')).toBe('/account')
		expect((await client.request('/account')).status).toBe(200)
		const [user] = await foyer.sql<{ emailVerified: boolean }>(`SELECT "emailVerified" FROM "User" WHERE email = $1`, [credentials.email])
		expect(user).toEqual({ emailVerified: true })

		// Verified once, the password signs in directly from then on.
		expect((await foyer.client('verify-req').post('/login', credentials)).headers.get('location')).toBe('/account')
	})

	it('passwordMinLength=20: a 16-character password is refused at sign-up with a message', async () => {
		const sixteen = 'quiet orbit lamp'
		expect([...sixteen]).toHaveLength(16)
		expect(await html('min-len', '/signup')).toContain('At least 15 characters')
		// Long enough under the default.
		expect((await foyer.client('min-len').post('/signup', { email: 'sixteen-before@example.com', password: sixteen })).status).toBe(302)

		await orgSet('min-len', 'passwordMinLength=20')
		await expect.poll(() => html('min-len', '/signup'), RELOAD).toContain('At least 20 characters')
		const refused = await foyer.client('min-len').post('/signup', { email: 'sixteen-after@example.com', password: sixteen })
		expect(refused.status).toBe(400)
		const body = await refused.text()
		expect(body).toContain('Use at least 20 characters')
		expect(body).not.toContain(sixteen)
		expect(await foyer.sql('SELECT 1 FROM "User" WHERE email = $1', ['sixteen-after@example.com'])).toHaveLength(0)
		// Twenty and more still signs up.
		await signUpVerified(foyer, 'min-len', 'twenty-seven@example.com')
	})

	it('sessionIdleMinutes: a shorter idle limit ends a session idle for longer', async () => {
		const email = 'idle@example.com'
		const client = await signUpVerified(foyer, 'idle', email)
		const idleTwoHours = () => foyer.sql(`UPDATE "Session" s SET "lastSeenAt" = now() - interval '2 hours' FROM "User" u WHERE u.id = s."userId" AND u.email = $1`, [email])
		// Two hours idle is nothing under the default (3 days).
		await idleTwoHours()
		expect((await client.request('/account')).status).toBe(200)

		await orgSet('idle', 'sessionIdleMinutes=60')
		await expect
			.poll(async () => {
				// Each page view that still gets through marks the session active again: idle it anew.
				await idleTwoHours()
				return (await client.request('/account')).status
			}, RELOAD)
			.toBe(302)
	})
})
