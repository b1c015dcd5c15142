import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * Authorization is the product: every console route, visited as every kind of visitor, answers
 * exactly as this table says. A route file under app/routes/admin+ or operator+ with no row here
 * fails the first test, so no page ships without someone deciding who may see it.
 */
const foyer = foyerPerFile()

type Persona = 'anonymous' | 'member' | 'otherOrgAdmin' | 'admin' | 'owner' | 'operator'
/** `login`: a redirect to this host's /login coming back to the path. */
type Expected = number | 'login'
type Row = { file: string; host: 'acme' | 'operator'; path: () => string; expect: Record<Persona, Expected> }

let clientId = ''
let outboxId = ''

/** Customer-org console: signed-in admins and owners in, members 403, anyone else to sign in. */
const ORG_CONSOLE = { anonymous: 'login', member: 403, otherOrgAdmin: 'login', admin: 200, owner: 200, operator: 'login' } as const
/** Operator console: only the operator org's owners and admins. */
const OPERATOR_CONSOLE = { anonymous: 'login', member: 403, otherOrgAdmin: 'login', admin: 'login', owner: 'login', operator: 200 } as const

const ROUTES: Row[] = [
	{ file: 'admin+/index.tsx', host: 'acme', path: () => '/admin', expect: { ...ORG_CONSOLE, admin: 302, owner: 302 } },
	{ file: 'admin+/apps.tsx', host: 'acme', path: () => '/admin/apps', expect: ORG_CONSOLE },
	{ file: 'admin+/apps_.$clientId.tsx', host: 'acme', path: () => `/admin/apps/${clientId}`, expect: ORG_CONSOLE },
	{ file: 'operator+/index.tsx', host: 'operator', path: () => '/operator', expect: { ...OPERATOR_CONSOLE, operator: 302 } },
	{ file: 'operator+/outbox.tsx', host: 'operator', path: () => '/operator/outbox', expect: OPERATOR_CONSOLE },
	{ file: 'operator+/outbox_.$id.tsx', host: 'operator', path: () => `/operator/outbox/${outboxId}`, expect: OPERATOR_CONSOLE },
	{ file: 'operator+/outbox_.$id_.html.ts', host: 'operator', path: () => `/operator/outbox/${outboxId}/html`, expect: OPERATOR_CONSOLE },
	{ file: 'admin+/audit.tsx', host: 'acme', path: () => '/admin/audit', expect: ORG_CONSOLE },
	{ file: 'admin+/audit_.export.ts', host: 'acme', path: () => '/admin/audit/export?format=csv', expect: ORG_CONSOLE },
	{ file: 'admin+/dashboard.tsx', host: 'acme', path: () => '/admin/dashboard', expect: ORG_CONSOLE },
	{ file: 'admin+/api-keys.tsx', host: 'acme', path: () => '/admin/api-keys', expect: ORG_CONSOLE },
	{ file: 'admin+/branding.tsx', host: 'acme', path: () => '/admin/branding', expect: ORG_CONSOLE },
	{ file: 'operator+/api-keys.tsx', host: 'operator', path: () => '/operator/api-keys', expect: OPERATOR_CONSOLE },
	// The Management API takes only API keys (test/integration/management-api.test.ts): every browser persona, signed in or not, is 401.
	{ file: 'api+/v1.users.ts', host: 'acme', path: () => '/api/v1/users', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.users_.$id.ts', host: 'acme', path: () => '/api/v1/users/nope', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.apps.ts', host: 'acme', path: () => '/api/v1/apps', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.audit-events.ts', host: 'acme', path: () => '/api/v1/audit-events', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.invitations.ts', host: 'acme', path: () => '/api/v1/invitations', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.invitations_.$id.ts', host: 'acme', path: () => '/api/v1/invitations/nope', expect: { anonymous: 405, member: 405, otherOrgAdmin: 405, admin: 405, owner: 405, operator: 405 } },
	{ file: 'api+/v1.roles.ts', host: 'acme', path: () => '/api/v1/roles', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.roles_.$name.ts', host: 'acme', path: () => '/api/v1/roles/owner', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.teams.ts', host: 'acme', path: () => '/api/v1/teams', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.teams_.$id.ts', host: 'acme', path: () => '/api/v1/teams/nope', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.teams_.$id_.members_.$userId.ts', host: 'acme', path: () => '/api/v1/teams/nope/members/nope', expect: { anonymous: 405, member: 405, otherOrgAdmin: 405, admin: 405, owner: 405, operator: 405 } },
	{ file: 'api+/v1.branding.ts', host: 'acme', path: () => '/api/v1/branding', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.branding_.draft.ts', host: 'acme', path: () => '/api/v1/branding/draft', expect: { anonymous: 405, member: 405, otherOrgAdmin: 405, admin: 405, owner: 405, operator: 405 } },
	{ file: 'api+/v1.branding_.publish.ts', host: 'acme', path: () => '/api/v1/branding/publish', expect: { anonymous: 405, member: 405, otherOrgAdmin: 405, admin: 405, owner: 405, operator: 405 } },
	{ file: 'api+/v1.branding_.versions.ts', host: 'acme', path: () => '/api/v1/branding/versions', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.branding_.versions_.$number.ts', host: 'acme', path: () => '/api/v1/branding/versions/1', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.branding_.versions_.$number_.restore.ts', host: 'acme', path: () => '/api/v1/branding/versions/1/restore', expect: { anonymous: 405, member: 405, otherOrgAdmin: 405, admin: 405, owner: 405, operator: 405 } },
	{ file: 'api+/v1.orgs.ts', host: 'operator', path: () => '/api/v1/orgs', expect: { anonymous: 401, member: 401, otherOrgAdmin: 401, admin: 401, owner: 401, operator: 401 } },
	{ file: 'api+/v1.openapi[.json].ts', host: 'acme', path: () => '/api/v1/openapi.json', expect: { anonymous: 200, member: 200, otherOrgAdmin: 200, admin: 200, owner: 200, operator: 200 } },
	{ file: 'admin+/users.tsx', host: 'acme', path: () => '/admin/users', expect: ORG_CONSOLE },
	{ file: 'admin+/users_.$userId.tsx', host: 'acme', path: () => '/admin/users/no-such-user', expect: { ...ORG_CONSOLE, admin: 404, owner: 404 } },
	{ file: 'admin+/roles.tsx', host: 'acme', path: () => '/admin/roles', expect: ORG_CONSOLE },
	{ file: 'admin+/roles_.$roleId.tsx', host: 'acme', path: () => '/admin/roles/no-such-role', expect: { ...ORG_CONSOLE, admin: 404, owner: 404 } },
	{ file: 'admin+/teams.tsx', host: 'acme', path: () => '/admin/teams', expect: ORG_CONSOLE },
	{ file: 'admin+/teams_.$teamId.tsx', host: 'acme', path: () => '/admin/teams/no-such-team', expect: { ...ORG_CONSOLE, admin: 404, owner: 404 } },
	{ file: 'admin+/invitations.tsx', host: 'acme', path: () => '/admin/invitations', expect: ORG_CONSOLE },
	{ file: 'operator+/orgs.tsx', host: 'operator', path: () => '/operator/orgs', expect: OPERATOR_CONSOLE },
	{ file: 'operator+/orgs_.$slug.tsx', host: 'operator', path: () => '/operator/orgs/acme', expect: OPERATOR_CONSOLE },
	{ file: 'operator+/defaults.tsx', host: 'operator', path: () => '/operator/defaults', expect: OPERATOR_CONSOLE },
	{ file: 'operator+/health.tsx', host: 'operator', path: () => '/operator/health', expect: OPERATOR_CONSOLE },
	{ file: 'admin+/settings.tsx', host: 'acme', path: () => '/admin/settings', expect: ORG_CONSOLE },
	{ file: 'admin+/emails.tsx', host: 'acme', path: () => '/admin/emails', expect: ORG_CONSOLE },
	{ file: 'admin+/emails_.$template.tsx', host: 'acme', path: () => '/admin/emails/magic-link', expect: ORG_CONSOLE },
	{ file: 'admin+/emails_.$template_.preview.ts', host: 'acme', path: () => '/admin/emails/magic-link/preview?scheme=dark', expect: ORG_CONSOLE },
]

/** Files that are not routes of their own: layouts (checked through their children) and server modules. */
const NOT_ROUTES = /(^|\/)_layout\.tsx$|\.server\.ts$/

const personas = {} as Record<Persona, Record<'acme' | 'operator', Client>>

/** A browser signed in on its own host, carrying that cookie to both hosts (as an attacker would try). */
async function signedIn(slug: 'acme' | 'globex' | 'operator', credentials: { email: string; password: string }) {
	const client = foyer.client(slug)
	const login = await client.post('/login', credentials)
	expect(login.status, `${credentials.email} signs in on ${slug}`).toBe(302)
	const cookies = client.cookies()
	const on = (host: 'acme' | 'operator') => {
		const browser = foyer.client(host)
		browser.jar.set(new URL(browser.origin).hostname, new Map(cookies))
		return browser
	}
	return { acme: on('acme'), operator: on('operator') }
}

beforeAll(async () => {
	const app = await foyer.cli(['apps', 'create', '--org', 'acme', '--name', 'Authz', '--type', 'web', '--redirect-uri', 'https://app.example/cb', '--json'])
	clientId = String(app.json!.clientId)
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex', '--color', '#15803d'])).code).toBe(0)
	const globexAdmin = await foyer.cli(['users', 'create', '--org', 'globex', '--email', 'boss@globex.example', '--admin', '--json'])
	const acmeAdmin = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'second@acme.example', '--admin', '--json'])
	await signUpVerified(foyer, 'acme', 'member@acme.example')
	await signUpVerified(foyer, 'operator', 'member@operator.example')
	outboxId = (await foyer.sql<{ id: string }>('SELECT id FROM "OutboxEmail" LIMIT 1'))[0]!.id
	const anonymous = { acme: foyer.client('acme'), operator: foyer.client('operator') }
	Object.assign(personas, {
		anonymous,
		member: { ...(await signedIn('acme', { email: 'member@acme.example', password: PASSWORD })), operator: (await signedIn('operator', { email: 'member@operator.example', password: PASSWORD })).operator },
		otherOrgAdmin: await signedIn('globex', { email: 'boss@globex.example', password: String(globexAdmin.json!.password) }),
		admin: await signedIn('acme', { email: 'second@acme.example', password: String(acmeAdmin.json!.password) }),
		owner: await signedIn('acme', foyer.admins.acme!),
		operator: await signedIn('operator', foyer.admins.operator!),
	})
})

describe('the authorization table', () => {
	it('has a row for every console route file', () => {
		const routes = path.resolve(import.meta.dirname, '../../app/routes')
		const files = ['admin+', 'operator+', 'api+']
			.filter((dir) => fs.existsSync(path.join(routes, dir)))
			.flatMap((dir) => fs.readdirSync(path.join(routes, dir), { recursive: true, encoding: 'utf8' }).map((file) => `${dir}/${file}`))
			.filter((file) => /\.tsx?$/.test(file) && !NOT_ROUTES.test(file))
		const covered = new Set(ROUTES.map((row) => row.file))
		expect(files.filter((file) => !covered.has(file)), 'console routes with no row in ROUTES').toEqual([])
	})

	for (const row of ROUTES) {
		it(`${row.file}: each visitor gets what the table says`, async () => {
			for (const persona of Object.keys(row.expect) as Persona[]) {
				const response = await personas[persona][row.host].request(row.path())
				const expected = row.expect[persona]
				if (expected === 'login') {
					expect(response.status, `${persona} on ${row.path()}`).toBe(302)
					expect(response.headers.get('location'), `${persona} on ${row.path()}`).toBe(`/login?${new URLSearchParams({ redirectTo: row.path() })}`)
				} else {
					expect(response.status, `${persona} on ${row.path()}`).toBe(expected)
				}
			}
		})
	}

	it('operator pages do not exist on a customer org host, for anyone', async () => {
		for (const persona of ['anonymous', 'owner'] as const) {
			for (const route of ROUTES.filter((row) => row.host === 'operator')) {
				expect((await personas[persona].acme.request(route.path())).status, `${persona} ${route.path()}`).toBe(404)
			}
		}
	})
})

describe('no path variant reaches a loader without the guard', () => {
	const variants = ['//admin', '/Admin', '/ADMIN/apps', '/%61dmin', '/admin/', '/admin/apps/', '/admin?_data=routes%2Fadmin%2B%2Fapps', '/admin/apps?_data=routes%2Fadmin%2B%2Fapps', '/admin/apps.data', '/admin.data', '/admin/apps/.data', '/admin/%2e%2e/admin/apps']

	for (const persona of ['anonymous', 'member', 'otherOrgAdmin'] as const) {
		it(`${persona}: every variant is refused and shows nothing of the console`, async () => {
			for (const variant of variants) {
				const browser = personas[persona].acme
				const response = await browser.request(`${browser.origin}${variant}`)
				const body = await response.text()
				expect(response.status, `${persona} ${variant}`).not.toBe(200)
				expect(body, `${persona} ${variant}`).not.toContain(clientId)
				expect(body, `${persona} ${variant}`).not.toContain('Authz')
			}
		})
	}
})
