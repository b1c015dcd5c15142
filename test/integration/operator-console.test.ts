import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { latestOutboxEmail } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'
import { registerApp, type RegisteredApp } from '../setup/oidc'

/**
 * The operator console through the front door, as a browser without JavaScript: onboarding an
 * org (its host serves its login, its first admin is invited as owner), searching and paging the
 * list, suspending and resuming (pages, discovery and issued tokens stop and come back), the
 * platform defaults form, and the health page. The server runs with Redis so health shows it.
 */
const foyer = foyerPerFile({ env: { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `foyer-test-${randomBytes(4).toString('hex')}:` } })
let operator: Client

beforeAll(async () => {
	operator = foyer.client('operator')
	const login = await operator.post('/login', foyer.admins.operator!)
	expect(login.status).toBe(302)
})

const orgRow = async (slug: string) =>
	(await foyer.sql<{ id: string; name: string; brandColor: string; suspendedAt: Date | null; isOperator: boolean }>('SELECT id, name, "brandColor", "suspendedAt", "isOperator" FROM "Organization" WHERE slug = $1', [slug]))[0]

const orgCount = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "Organization"'))[0]!.n)
const auditCount = async () => Number((await foyer.sql<{ n: string }>('SELECT count(*) AS n FROM "AuditEvent"'))[0]!.n)

const eventsOf = (slug: string, type: string) =>
	foyer.sql<{ actorId: string | null; targetId: string | null; data: Record<string, unknown> }>(
		`SELECT e."actorId", e."targetId", e.data FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 AND e.type = $2 ORDER BY e.seq`,
		[slug, type],
	)

const operatorUserId = async () => (await foyer.sql<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [foyer.admins.operator!.email]))[0]!.id

async function onboard(fields: Record<string, string>) {
	const response = await operator.post('/operator/orgs', fields)
	return { status: response.status, html: await response.text() }
}

describe('onboarding', () => {
	it('creates the org from the form, serves its login and emails its first admin an owner invitation', async () => {
		const started = new Date(Date.now() - 1000)
		const { status, html } = await onboard({ name: 'Initech', slug: 'initech', brandColor: '#0055AA', adminEmail: 'Peter@Initech.example' })
		expect(status, html.slice(0, 500)).toBe(201)
		expect(html).toContain('Initech (initech) was created.')
		expect(html).toContain('An invitation to join as owner was sent to peter@initech.example')

		const org = await orgRow('initech')
		expect(org).toMatchObject({ name: 'Initech', brandColor: '#0055aa', suspendedAt: null, isOperator: false })
		const keys = await foyer.sql('SELECT id FROM "SigningKey" WHERE "organizationId" = $1', [org!.id])
		expect(keys).toHaveLength(1)

		const [invitation] = await foyer.sql<{ email: string; role: string; acceptedAt: Date | null }>('SELECT email, role, "acceptedAt" FROM "Invitation" WHERE "organizationId" = $1', [org!.id])
		expect(invitation).toEqual({ email: 'peter@initech.example', role: 'owner', acceptedAt: null })
		const mail = await latestOutboxEmail(foyer, 'peter@initech.example', { template: 'invitation', org: 'initech', after: started })
		expect(mail.text).toContain(`${foyer.origin('initech.localhost')}/invitations/accept?token=`)

		// org.created in the new org's log and in the operator org's, both by this operator.
		const actor = await operatorUserId()
		for (const slug of ['initech', 'operator']) {
			const events = await eventsOf(slug, 'org.created')
			const event = events.find((row) => row.targetId === org!.id)
			expect(event, slug).toBeTruthy()
			expect(event!.actorId).toBe(actor)
		}

		const login = await foyer.client('initech').request('/login')
		expect(login.status).toBe(200)
		const loginHtml = await login.text()
		expect(loginHtml).toContain('Initech')
		const discovery = await foyer.client('initech').request('/.well-known/openid-configuration')
		expect(((await discovery.json()) as { issuer: string }).issuer).toBe(foyer.origin('initech.localhost'))

		// It is listed, with its host, one user count, its creation date and status.
		const list = await (await operator.request('/operator/orgs?q=initech')).text()
		expect(list).toContain(`initech.localhost`)
		expect(list).toMatch(/Active/)
		expect(list).not.toContain('data-org="acme"')
		const detail = await operator.request('/operator/orgs/initech')
		expect(detail.status).toBe(200)
		const detailHtml = await detail.text()
		expect(detailHtml).toContain('#0055aa')
		expect(detailHtml).toContain('Suspend Initech')
	})

	const bad: Array<[string, Record<string, string>, RegExp]> = [
		['a taken slug', { name: 'Acme Two', slug: 'acme', brandColor: '#123456', adminEmail: 'a@example.com' }, /This slug is taken/],
		['a taken slug in another case', { name: 'Acme Two', slug: 'ACME', brandColor: '#123456', adminEmail: 'a@example.com' }, /This slug is taken/],
		['a reserved slug', { name: 'Ops', slug: 'operator', brandColor: '#123456', adminEmail: 'a@example.com' }, /reserved/],
		['a slug that is no DNS label', { name: 'Bad', slug: 'bad_slug!', brandColor: '#123456', adminEmail: 'a@example.com' }, /inner hyphens/],
		['a bad colour', { name: 'Bad', slug: 'badcolour', brandColor: 'blue', adminEmail: 'a@example.com' }, /hex colour/],
		['a bad email', { name: 'Bad', slug: 'bademail', brandColor: '#123456', adminEmail: 'not-an-email' }, /valid email/],
		['no name', { slug: 'noname', brandColor: '#123456', adminEmail: 'a@example.com' }, /Name is required/],
		['a NUL byte in the name', { name: 'Ba\u0000d', slug: 'nulname', brandColor: '#123456', adminEmail: 'a@example.com' }, /control characters/],
	]

	it.each(bad)('refuses %s with 400, a field message and nothing written', async (_label, fields, message) => {
		const [orgs, events] = [await orgCount(), await auditCount()]
		const { status, html } = await onboard(fields)
		expect(status).toBe(400)
		expect(html).toMatch(message)
		expect(html).not.toContain('data-testid="onboarded"')
		expect(await orgCount()).toBe(orgs)
		expect(await auditCount()).toBe(events)
	})

	it("invites an owner again from the org's page", async () => {
		const started = new Date(Date.now() - 1000)
		const invited = await operator.post('/operator/orgs/initech', { intent: 'invite', email: 'milton@initech.example' })
		expect(invited.status).toBe(302)
		expect(invited.headers.get('location')).toBe('/operator/orgs/initech?invited=1')
		const mail = await latestOutboxEmail(foyer, 'milton@initech.example', { template: 'invitation', org: 'initech', after: started })
		expect(mail.text).toContain('/invitations/accept?token=')
		const [row] = await foyer.sql<{ role: string }>(`SELECT i.role FROM "Invitation" i JOIN "Organization" o ON o.id = i."organizationId" WHERE o.slug = 'initech' AND i.email = 'milton@initech.example'`)
		expect(row!.role).toBe('owner')
		const refused = await operator.post('/operator/orgs/initech', { intent: 'invite', email: 'nope' })
		expect(refused.status).toBe(400)
		expect(await refused.text()).toContain('Enter a valid email address')
	})

	it('answers a body that is not a form with 415', async () => {
		const response = await operator.request('/operator/orgs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) })
		expect(response.status).toBe(415)
	})
})

describe('the organization list', () => {
	it('searches by name or slug and pages with a cursor, each org once', async () => {
		// 30 more orgs, straight into the table: listing needs nothing else of them.
		const values = Array.from({ length: 30 }, (_, i) => `('pagetest${String(i).padStart(8, '0')}x', 'page-${String(i).padStart(2, '0')}', 'Paging Org ${i}', '#123456', now())`).join(',')
		await foyer.sql(`INSERT INTO "Organization" (id, slug, name, "brandColor", "updatedAt") VALUES ${values}`)

		const byName = await (await operator.request('/operator/orgs?q=paging+org+1')).text()
		expect(byName).toContain('data-org="page-01"')
		expect(byName).toContain('data-org="page-19"')
		expect(byName).not.toContain('data-org="page-02"')
		const bySlug = await (await operator.request('/operator/orgs?q=page-2')).text()
		expect(bySlug.match(/data-org="page-2\d"/g)).toHaveLength(10)

		const seen: string[] = []
		let path = '/operator/orgs'
		for (let pages = 0; pages < 5; pages++) {
			const html = await (await operator.request(path)).text()
			const slugs = [...html.matchAll(/data-org="([^"]+)"/g)].map((match) => match[1]!)
			expect(slugs.length).toBeLessThanOrEqual(25)
			seen.push(...slugs)
			const next = /href="([^"]*after=[^"]+)"[^>]*>Next page/.exec(html)?.[1]
			if (!next) break
			path = next.replaceAll('&amp;', '&')
		}
		const total = await orgCount()
		expect(seen).toHaveLength(total)
		expect(new Set(seen).size).toBe(total)
		expect(seen).toEqual(expect.arrayContaining(['operator', 'acme', 'page-00', 'page-29']))

		// A cursor that is not an id of ours starts over rather than failing.
		expect((await operator.request('/operator/orgs?after=%00%27')).status).toBe(200)
	})

	it('answers an unknown slug with 404', async () => {
		for (const slug of ['nope', 'x'.repeat(100), '%00', 'UPPER']) {
			expect((await operator.request(`/operator/orgs/${slug}`)).status, slug).toBe(404)
			expect((await operator.post(`/operator/orgs/${slug}`, { intent: 'suspend' })).status, slug).toBe(404)
		}
	})
})

describe('suspension', () => {
	let app: RegisteredApp

	async function clientCredentials() {
		return foyer.client('initech').request('/oidc/token', {
			method: 'POST',
			headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
			origin: null,
		})
	}

	async function introspect(token: string) {
		return foyer.client('initech').request('/oidc/token/introspection', {
			method: 'POST',
			headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token }).toString(),
			origin: null,
		})
	}

	beforeAll(async () => {
		app = await registerApp(foyer, 'initech', ['--name', 'Initech Sync', '--type', 'm2m'])
	})

	it('stops the org at once (pages, discovery, tokens) and resumes it, audited both ways', async () => {
		const issued = await clientCredentials()
		expect(issued.status, await issued.clone().text()).toBe(200)
		const { access_token: token } = (await issued.json()) as { access_token: string }
		expect(((await (await introspect(token)).json()) as { active: boolean }).active).toBe(true)
		const visitor = foyer.client('initech')
		expect((await visitor.request('/login')).status).toBe(200) // now cached by the server

		const suspend = await operator.post('/operator/orgs/initech', { intent: 'suspend' })
		expect(suspend.status).toBe(302)
		expect(suspend.headers.get('location')).toBe('/operator/orgs/initech?suspended=1')
		expect((await orgRow('initech'))!.suspendedAt).toBeInstanceOf(Date)

		for (const path of ['/login', '/signup', '/account', '/admin', '/.well-known/openid-configuration', '/oidc/auth?client_id=x']) {
			const response = await visitor.request(path)
			expect(response.status, path).toBe(503)
			const html = await response.text()
			expect(html, path).toContain('This sign-in page is not available right now.')
			expect(html, path).not.toContain('Initech')
		}
		const post = await visitor.post('/login', { email: 'peter@initech.example', password: 'whatever whatever' })
		expect(post.status).toBe(503)
		for (const response of [await introspect(token), await clientCredentials(), await visitor.request('/oidc/me', { headers: { authorization: `Bearer ${token}` } })]) {
			expect(response.status).toBe(503)
			expect(response.headers.get('content-type')).toMatch(/application\/json/)
			expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' })
		}
		// Other orgs are untouched, and the operator still sees it, marked.
		expect((await foyer.client('acme').request('/login')).status).toBe(200)
		const detail = await (await operator.request('/operator/orgs/initech?suspended=1')).text()
		expect(detail).toContain('is suspended')
		expect(detail).toContain('Resume Initech')
		expect(await (await operator.request('/operator/orgs?q=initech')).text()).toContain('Suspended')

		// Suspending twice changes nothing more.
		expect((await operator.post('/operator/orgs/initech', { intent: 'suspend' })).status).toBe(302)
		expect(await eventsOf('initech', 'org.suspended')).toHaveLength(1)

		const resume = await operator.post('/operator/orgs/initech', { intent: 'resume' })
		expect(resume.status).toBe(302)
		expect((await orgRow('initech'))!.suspendedAt).toBeNull()
		expect((await visitor.request('/login')).status).toBe(200)
		expect((await visitor.request('/.well-known/openid-configuration')).status).toBe(200)
		expect(((await (await introspect(token)).json()) as { active: boolean }).active).toBe(true)
		expect((await clientCredentials()).status).toBe(200)

		const actor = await operatorUserId()
		for (const slug of ['initech', 'operator']) {
			for (const type of ['org.suspended', 'org.resumed']) {
				const events = await eventsOf(slug, type)
				expect(events, `${slug} ${type}`).toHaveLength(1)
				expect(events[0]!.actorId).toBe(actor)
			}
		}
	})

	it('never suspends the operator org, and refuses unknown intents', async () => {
		const events = await auditCount()
		const refused = await operator.post('/operator/orgs/operator', { intent: 'suspend' })
		expect(refused.status).toBe(400)
		expect(await refused.text()).toContain('cannot be suspended')
		expect((await orgRow('operator'))!.suspendedAt).toBeNull()
		expect((await operator.post('/operator/orgs/acme', { intent: 'delete' })).status).toBe(400)
		expect((await operator.post('/operator/orgs/acme', {})).status).toBe(400)
		expect((await orgRow('acme'))!.suspendedAt).toBeNull()
		expect(await auditCount()).toBe(events)
		expect((await operator.request('/operator')).headers.get('location')).toBe('/operator/orgs')
	})

	it('refuses the acme owner on the operator console, whatever they post', async () => {
		const acmeOwner = foyer.client('acme')
		expect((await acmeOwner.post('/login', foyer.admins.acme!)).status).toBe(302)
		const onOperatorHost = foyer.client('operator')
		onOperatorHost.jar.set('localhost', new Map(acmeOwner.cookies()))
		expect((await onOperatorHost.post('/operator/orgs/initech', { intent: 'suspend' })).status).toBe(302)
		expect((await acmeOwner.post('/operator/orgs/initech', { intent: 'suspend' })).status).toBe(404)
		expect((await orgRow('initech'))!.suspendedAt).toBeNull()
	})
})

describe('sender domains', () => {
	const domainsOf = async (slug: string) => (await foyer.sql<{ senderDomains: string[] }>('SELECT "senderDomains" FROM "Organization" WHERE slug = $1', [slug]))[0]!.senderDomains

	it("sets the domains an org may send email from on the org's page, audited in both logs", async () => {
		const page = await (await operator.request('/operator/orgs/acme')).text()
		expect(page).toContain('Email sender domains')
		expect(page).toMatch(/<label[^>]*for="sender-domains"/)
		const saved = await operator.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: 'Acme.example,\n mail.acme.example  acme.example.' })
		expect(saved.status, await saved.clone().text()).toBe(302)
		expect(saved.headers.get('location')).toBe('/operator/orgs/acme?senderDomains=1')
		expect(await domainsOf('acme')).toEqual(['acme.example', 'mail.acme.example'])
		const shown = await (await operator.request('/operator/orgs/acme?senderDomains=1')).text()
		expect(shown).toContain('acme.example, mail.acme.example')
		for (const slug of ['acme', 'operator']) {
			const [event] = await eventsOf(slug, 'org.sender_domains_changed')
			expect(event, slug).toMatchObject({ actorId: await operatorUserId(), data: { from: [], to: ['acme.example', 'mail.acme.example'] } })
		}
		// The same list again changes nothing and records nothing.
		const events = await auditCount()
		expect((await operator.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: 'mail.acme.example acme.example' })).status).toBe(302)
		expect(await auditCount()).toBe(events)
	})

	const bad: [string, RegExp][] = [
		['bank', /“bank” is not a domain name/],
		['acme.example/x', /“acme.example\/x” is not a domain name/],
		['*.acme.example', /not a domain name/],
		['10.0.0.1', /not a domain name/],
		[Array.from({ length: 21 }, (_, i) => `d${i}.example`).join(' '), /At most 20 sender domains/],
	]
	it.each(bad)('refuses %s with 400 and the message, changing nothing', async (senderDomains, message) => {
		const [before, events] = [await domainsOf('acme'), await auditCount()]
		const response = await operator.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains })
		expect(response.status).toBe(400)
		expect(await response.text()).toMatch(message)
		expect(await domainsOf('acme')).toEqual(before)
		expect(await auditCount()).toBe(events)
	})

	it('clears the list with an empty field', async () => {
		expect((await operator.post('/operator/orgs/acme', { intent: 'sender-domains', senderDomains: ' ' })).status).toBe(302)
		expect(await domainsOf('acme')).toEqual([])
		expect(await (await operator.request('/operator/orgs/acme')).text()).toContain('None: email goes from the platform sender')
	})
})

/** Every key of the form, on its default unless given. */
function defaultsForm(values: Record<string, string> = {}) {
	const keys = ['passwordSignIn', 'magicLinkSignIn', 'emailCodeSignIn', 'passkeys', 'signUpMode', 'emailVerificationRequired', 'passwordMinLength', 'mfaPolicy', 'smsSecondFactor', 'sessionIdleMinutes', 'sessionAbsoluteMinutes', 'newDeviceEmail', 'emailSenderName', 'emailSenderAddress']
	return { ...Object.fromEntries(keys.map((key) => [key, ''])), ...values }
}

const storedDefaults = async () => (await foyer.sql<{ value: unknown }>(`SELECT value FROM "PlatformSetting" WHERE key = 'orgSettingsDefaults'`))[0]?.value ?? {}

describe('global defaults', () => {
	it('shows every setting with its built-in default, saves, and resets', async () => {
		const page = await (await operator.request('/operator/defaults')).text()
		expect(page).toContain('Use the built-in default (on)')
		expect(page).toContain('Use the built-in default (15)')
		expect(page).toContain('Use the built-in default (Open: anyone can sign up)')
		for (const label of ['Password sign-in', 'Minimum password length', 'Session lifetime (minutes)', 'Email sender address', 'Two-step verification']) expect(page).toContain(label)

		const saved = await operator.post('/operator/defaults', defaultsForm({ signUpMode: 'invite', passwordMinLength: '20', magicLinkSignIn: 'off', emailSenderName: 'Platform Mail' }))
		expect(saved.status, await saved.clone().text()).toBe(302)
		expect(saved.headers.get('location')).toBe('/operator/defaults?saved=1')
		expect(await storedDefaults()).toEqual({ signUpMode: 'invite', passwordMinLength: 20, magicLinkSignIn: false, emailSenderName: 'Platform Mail' })
		const [event] = await eventsOf('operator', 'platform.defaults_changed')
		expect(event!.data).toMatchObject({ changes: { signUpMode: { from: 'open', to: 'invite' } } })

		// An org without overrides follows at once: acme's sign-in page has no magic link now.
		await expect.poll(async () => (await (await foyer.client('acme').request('/login')).text()).includes('Email me a sign-in link'), { timeout: 3000 }).toBe(false)
		const again = await (await operator.request('/operator/defaults?saved=1')).text()
		expect(again).toContain('Defaults saved')
		expect(again).toMatch(/<option value="invite" selected="">/)
		expect(again).toContain('value="20"')

		expect((await operator.post('/operator/defaults', defaultsForm())).status).toBe(302)
		expect(await storedDefaults()).toEqual({})
		await expect.poll(async () => (await (await foyer.client('acme').request('/login')).text()).includes('Email me a sign-in link'), { timeout: 3000 }).toBe(true)
	})

	const bad: Array<[string, Record<string, string>, RegExp]> = [
		['a number that is not one', { passwordMinLength: 'abc' }, /Enter a whole number from 8 to 64/],
		['a number out of range', { sessionIdleMinutes: '1' }, /Enter a whole number from 5 to 525600/],
		['an unknown choice', { signUpMode: 'everyone' }, /Choose one of: open, invite, closed/],
		['a boolean that is not one', { passkeys: 'yes' }, /Choose on, off or the default/],
		['a bad sender address', { emailSenderAddress: 'nope' }, /Enter a valid email address/],
		['every sign-in method off', { passwordSignIn: 'off', magicLinkSignIn: 'off', emailCodeSignIn: 'off' }, /At least one sign-in method must stay on/],
		['a short password without required MFA', { passwordMinLength: '10' }, /below 15 needs mfaPolicy=required/],
		['an idle limit over the lifetime', { sessionIdleMinutes: '600', sessionAbsoluteMinutes: '60' }, /cannot be longer than sessionAbsoluteMinutes/],
	]

	it.each(bad)('refuses %s with 400 and the message, writing nothing', async (_label, values, message) => {
		const before = await storedDefaults()
		const events = await auditCount()
		const response = await operator.post('/operator/defaults', defaultsForm(values))
		expect(response.status).toBe(400)
		expect(await response.text()).toMatch(message)
		expect(await storedDefaults()).toEqual(before)
		expect(await auditCount()).toBe(events)
	})

	it('accepts a short minimum when two-step verification is required', async () => {
		// The operator org keeps its own policy, or this very operator would be asked for a second factor.
		const own = await foyer.cli(['orgs', 'set', '--org', 'operator', 'mfaPolicy=off', '--json'])
		expect(own.code, own.stderr).toBe(0)
		const saved = await operator.post('/operator/defaults', defaultsForm({ passwordMinLength: '8', mfaPolicy: 'required' }))
		expect(saved.headers.get('location')).toBe('/operator/defaults?saved=1')
		expect(await storedDefaults()).toEqual({ passwordMinLength: 8, mfaPolicy: 'required' })
		const reset = await operator.post('/operator/defaults', defaultsForm())
		expect(reset.headers.get('location')).toBe('/operator/defaults?saved=1')
		expect(await storedDefaults()).toEqual({})
	})
})

describe('health', () => {
	it('shows the database, migrations, Redis and mail with a status and latency', async () => {
		const response = await operator.request('/operator/health')
		expect(response.status).toBe(200)
		const html = await response.text()
		for (const [name, status] of [['Database', 'ok'], ['Migrations', 'ok'], ['Redis', 'ok'], ['Mail', 'off']]) {
			expect(html, name).toMatch(new RegExp(`data-check="${name}" data-status="${status}"`))
		}
		expect(html).toContain('Every migration is applied.')
		expect(html).toContain('dev outbox')
		expect(html).toMatch(/\d+ ms/)
		expect(html).not.toContain(inject('redisUrl'))
	})
})
