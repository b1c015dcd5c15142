import { beforeAll, describe, expect, it } from 'vitest'
import { eventHash, GENESIS_HASH } from '../../app/modules/audit/chain'
import { signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

/**
 * /admin/audit, its export and /admin/dashboard through the front door. Bulk events go into
 * orgs of their own (globex, initech) with SQL that keeps the hash chain valid (the same hash as
 * recordAuditEvent), so acme's log holds only events real requests wrote, and no acme page or
 * export may ever show a globex or initech event.
 */
const foyer = foyerPerFile()
let owner: Client
let globex: Client
let globexAdminId = ''
let globexT0 = 0
const BULK = 4500
const PAGED = 120

type Seeded = { type: string; actorId: string | null; targetId: string | null; createdAt: Date; data?: Record<string, unknown> }

const orgId = async (slug: string) => (await foyer.sql<{ id: string }>('SELECT id FROM "Organization" WHERE slug = $1', [slug]))[0]!.id
const countEvents = async (slug: string, extra = 'TRUE', values: unknown[] = []) =>
	Number((await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 AND ${extra}`, [slug, ...values]))[0]!.n)

/** Appends events to an org's chain exactly as recordAuditEvent would (nothing else writes to these orgs meanwhile). */
async function appendChained(slug: string, events: Seeded[]) {
	const organizationId = await orgId(slug)
	const [last] = await foyer.sql<{ seq: number; hash: string }>('SELECT seq, hash FROM "AuditEvent" WHERE "organizationId" = $1 ORDER BY seq DESC LIMIT 1', [organizationId])
	let seq = last?.seq ?? 0
	let prevHash = last?.hash ?? GENESIS_HASH
	for (let start = 0; start < events.length; start += 1000) {
		const values: unknown[] = []
		const rows: string[] = []
		for (const event of events.slice(start, start + 1000)) {
			seq++
			const fields = { organizationId, seq, type: event.type, actorId: event.actorId, targetType: event.targetId ? 'user' : null, targetId: event.targetId, ip: '192.0.2.1', userAgent: 'seed', data: event.data ?? {}, createdAt: event.createdAt }
			const hash = eventHash(prevHash, fields)
			const n = values.length
			rows.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9}, $${n + 10}::jsonb, $${n + 11}::timestamp, $${n + 12}, $${n + 13})`)
			values.push(`seed${organizationId}${seq}`, organizationId, seq, fields.type, fields.actorId, fields.targetType, fields.targetId, fields.ip, fields.userAgent, JSON.stringify(fields.data), fields.createdAt.toISOString(), prevHash, hash)
			prevHash = hash
		}
		await foyer.sql(`INSERT INTO "AuditEvent" (id, "organizationId", seq, type, "actorId", "targetType", "targetId", ip, "userAgent", data, "createdAt", "prevHash", hash) VALUES ${rows.join(', ')}`, values)
	}
}

async function newOrgAdmin(slug: string, name: string) {
	expect((await foyer.cli(['orgs', 'create', '--name', name, '--slug', slug, '--color', '#15803d'])).code).toBe(0)
	const admin = await foyer.cli(['users', 'create', '--org', slug, '--email', `boss@${slug}.example`, '--admin', '--json'])
	const client = foyer.client(slug)
	expect((await client.post('/login', { email: `boss@${slug}.example`, password: String(admin.json!.password) })).status).toBe(302)
	return { client, id: String(admin.json!.id) }
}

const seqsOf = (html: string) => [...html.matchAll(/data-seq="(\d+)"/g)].map((match) => Number(match[1]))
const linkOf = (html: string, rel: 'next' | 'prev') => {
	const tag = new RegExp(`<a[^>]*rel="${rel}"[^>]*>`).exec(html)?.[0]
	return tag ? /href="([^"]+)"/.exec(tag)![1]!.replaceAll('&amp;', '&') : null
}

/** Follows "Older" from the first page to the last; returns every page's seqs. */
async function walk(client: Client, query: string) {
	const pages: number[][] = []
	let next: string | null = `/admin/audit?${query}`
	while (next) {
		const response = await client.request(next)
		const html = await response.text()
		expect(response.status, html.slice(0, 300)).toBe(200)
		pages.push(seqsOf(html))
		next = linkOf(html, 'next')
		expect(pages.length).toBeLessThan(20)
	}
	return pages
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

beforeAll(async () => {
	owner = foyer.client('acme')
	expect((await owner.post('/login', foyer.admins.acme!)).status).toBe(302)
	const admin = await newOrgAdmin('globex', 'Globex')
	globex = admin.client
	globexAdminId = admin.id
	// Every real globex event is written by now; the seeded ones come later in time, as in a live log.
	globexT0 = Date.now() + 1000
	const bulk: Seeded[] = Array.from({ length: BULK }, (_, i) => ({ type: 'test.bulk', actorId: null, targetId: null, createdAt: new Date(globexT0 + i), data: { i, note: i === 7 ? '=SUM(A1)' : 'x' } }))
	const paged: Seeded[] = Array.from({ length: PAGED }, (_, i) => ({
		type: i % 4 === 3 ? 'test.other' : 'test.paged',
		actorId: i % 2 ? globexAdminId : 'ghost-actor',
		targetId: `target-${i % 5}`,
		createdAt: new Date(globexT0 + 3_600_000 + i * 6 * 3_600_000),
	}))
	await appendChained('globex', [...bulk, ...paged])
})

describe('who may see the audit log and the dashboard', () => {
	it('sends /admin to the dashboard for those who may read the audit log, else to the first area they may open', async () => {
		const index = await owner.request('/admin')
		expect(index.status).toBe(302)
		expect(index.headers.get('location')).toBe('/admin/dashboard')

		const acme = await orgId('acme')
		await foyer.sql(`INSERT INTO "Role" (id, "organizationId", name, statements, "updatedAt") VALUES ('r-apps', $1, 'app-viewer', '{"app":["read"]}', now()), ('r-brand', $1, 'brander', '{"branding":["read"]}', now())`, [acme])
		for (const [role, expected] of [['app-viewer', '/admin/apps'], ['brander', 403]] as const) {
			const user = await signUpVerified(foyer, 'acme', `${role}@acme.example`)
			await foyer.sql(`UPDATE "User" SET role = $1 WHERE email = $2`, [role, `${role}@acme.example`])
			const response = await user.request('/admin')
			if (expected === 403) expect(response.status).toBe(403)
			else expect(response.headers.get('location')).toBe(expected)
			// Neither role may read the audit log.
			expect((await user.request('/admin/audit')).status).toBe(403)
			expect((await user.request('/admin/dashboard')).status).toBe(403)
		}
	})

	it('refuses members everywhere, the verify action and the export included', async () => {
		const member = await signUpVerified(foyer, 'acme', 'member@acme.example')
		for (const path of ['/admin', '/admin/audit', '/admin/dashboard', '/admin/audit/export?format=csv', '/admin/audit/export?format=json']) {
			expect((await member.request(path)).status, path).toBe(403)
		}
		const post = await member.post('/admin/audit', { intent: 'verify' })
		expect(post.status).toBe(403)
		expect(await post.text()).not.toContain('The chain is')
		expect(await countEvents('acme', `type = 'audit.exported'`)).toBe(0)
	})

	it('sends anonymous visitors to sign in', async () => {
		const anonymous = foyer.client('acme')
		for (const path of ['/admin/audit', '/admin/dashboard', '/admin/audit/export?format=csv']) {
			const response = await anonymous.request(path)
			expect(response.status, path).toBe(302)
			expect(response.headers.get('location')).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`)
		}
	})
})

describe('the audit log page', () => {
	it('pages through a filter 50 at a time, newest first, with Older and Newer links', async () => {
		const pages = await walk(globex, 'type=test.paged')
		expect(pages.map((page) => page.length)).toEqual([50, 40])
		const all = pages.flat()
		expect(all).toEqual([...all].sort((a, b) => b - a))
		expect(new Set(all).size).toBe(90)
		expect(all.length).toBe(await countEvents('globex', `type = 'test.paged'`))

		// Newer from the second page leads back to exactly the first.
		const second = await (await globex.request(`/admin/audit?type=test.paged&before=${pages[0]!.at(-1)}`)).text()
		const newer = linkOf(second, 'prev')
		expect(newer).toContain('type=test.paged')
		expect(seqsOf(await (await globex.request(newer!)).text())).toEqual(pages[0])
		// The first page has no Newer link, the last no Older link.
		expect(linkOf(await (await globex.request('/admin/audit?type=test.paged')).text(), 'prev')).toBeNull()
	})

	it('pages the whole unfiltered log with before=', async () => {
		const total = await countEvents('globex')
		const first = await (await globex.request('/admin/audit')).text()
		expect(seqsOf(first)).toEqual(Array.from({ length: 50 }, (_, i) => total - i))
		const deep = await (await globex.request('/admin/audit?before=1000')).text()
		expect(seqsOf(deep)).toEqual(Array.from({ length: 50 }, (_, i) => 999 - i))
		expect(linkOf(deep, 'next')).toBe('/admin/audit?before=950')
		expect(linkOf(deep, 'prev')).toBe('/admin/audit?after=999')
	})

	it('filters by type prefix, actor (email or id), target and dates', async () => {
		const seqs = async (query: string) => (await walk(globex, query)).flat()
		const sqlSeqs = async (extra: string, values: unknown[] = []) =>
			(await foyer.sql<{ seq: number }>(`SELECT seq FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'globex' AND ${extra} ORDER BY seq DESC`, values)).map((row) => row.seq)

		expect(await seqs('type=test.paged&type=ignored')).toHaveLength(90)
		const prefixPage = seqsOf(await (await globex.request('/admin/audit?type=test.')).text())
		expect(prefixPage).toEqual((await sqlSeqs(`type LIKE 'test.%'`)).slice(0, 50))
		expect(await seqs('type=test.other')).toHaveLength(30)
		expect(await seqs('type=test.*&target=target-1')).toEqual(await sqlSeqs(`"targetId" = 'target-1'`))
		expect(await seqs('actor=ghost-actor')).toEqual(await sqlSeqs(`"actorId" = 'ghost-actor'`))
		const byEmail = await seqs('actor=BOSS%40globex.example')
		expect(byEmail).toEqual(await sqlSeqs(`"actorId" = $1`, [globexAdminId]))
		expect(byEmail.length).toBeGreaterThan(60) // 60 seeded plus the admin's real sign-in
		expect(await seqs('actor=nobody%40globex.example')).toEqual([])

		const day1 = utcDay(globexT0 + 86_400_000)
		const day2 = utcDay(globexT0 + 2 * 86_400_000)
		const inDays = await seqs(`from=${day1}&to=${day2}`)
		expect(inDays).toEqual(await sqlSeqs(`e."createdAt" >= $1::date AND e."createdAt" < $2::date + 1`, [day1, day2]))
		expect(inDays.length).toBeGreaterThanOrEqual(4)
		expect(await seqs(`from=${day1}&to=${day1}&type=test.paged`)).toEqual(await sqlSeqs(`e."createdAt"::date = $1::date AND type = 'test.paged'`, [day1]))
		expect(await seqs('from=2001-01-01&to=2001-01-31')).toEqual([])
	})

	it('shows only the org’s own events: another org’s ids and types find nothing', async () => {
		for (const query of ['', 'type=test.', 'actor=ghost-actor', 'target=target-1', `actor=${globexAdminId}`]) {
			const html = await (await owner.request(`/admin/audit?${query}`)).text()
			expect(html, query).not.toContain('test.paged')
			if (!query.includes('ghost-actor')) expect(html, query).not.toContain('ghost-actor')
			if (query) expect(seqsOf(html), query).toEqual([])
		}
		const acmeTotal = await countEvents('acme')
		expect(seqsOf(await (await owner.request('/admin/audit')).text())[0]).toBe(acmeTotal)
	})

	it('answers bad filters with 400 and a message next to the field, never a 500', async () => {
		const cases: [string, string, string][] = [
			['from=2026-02-30', 'filter-from-error', 'not a real date'],
			['from=2026-02-02&to=2026-02-01', 'filter-to-error', 'on or after From'],
			['actor=%00bad%20id', 'filter-actor-error', 'email address or a user id'],
			['type=DROP%20TABLE', 'filter-type-error', 'event type'],
			[`target=${'x'.repeat(500)}`, 'filter-target-error', 'target id'],
			['before=abc', '', 'event number'],
			['before=99999999999', '', 'event number'],
			['before=3&after=1', '', 'not both'],
		]
		for (const [query, errorId, message] of cases) {
			const response = await owner.request(`/admin/audit?${query}`)
			const html = await response.text()
			expect(response.status, query).toBe(400)
			expect(html, query).toContain(message)
			if (errorId) expect(html, query).toContain(`id="${errorId}"`)
		}
	})
})

describe('verify chain', () => {
	it('reports an intact chain with its count', async () => {
		for (const [client, slug] of [[owner, 'acme'], [globex, 'globex']] as const) {
			const response = await client.post('/admin/audit', { intent: 'verify' })
			const html = await response.text()
			expect(response.status).toBe(200)
			expect(html).toContain(`The chain is intact: ${await countEvents(slug)} events checked.`)
		}
	})

	it('reports the first broken link in an org whose event was edited, and only there', async () => {
		const { client } = await newOrgAdmin('initech', 'Initech')
		const total = await countEvents('initech')
		expect(total).toBeGreaterThanOrEqual(2)
		await foyer.sql(`UPDATE "AuditEvent" SET data = '{"tampered":true}' WHERE seq = 2 AND "organizationId" = $1`, [await orgId('initech')])
		const html = await (await client.post('/admin/audit', { intent: 'verify' })).text()
		expect(html).toContain('The chain is broken at event #2: event content does not match its hash (edited). 1 events before it are intact.')
		expect(await (await owner.post('/admin/audit', { intent: 'verify' })).text()).toContain('The chain is intact')
		expect((await client.post('/admin/audit', { intent: 'nope' })).status).toBe(400)
	})
})

describe('export', () => {
	it('streams CSV with a header, escaping and a formula guard, audited, with only acme events', async () => {
		// A failed sign-in whose User-Agent is a spreadsheet formula.
		const attacker = foyer.client('acme')
		await attacker.post('/login', { email: 'nobody@acme.example', password: 'wrong password, long enough' }, { headers: { 'user-agent': '=HYPERLINK("http://evil.example","x")' } })

		const response = await owner.request('/admin/audit/export?format=csv')
		expect(response.status).toBe(200)
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-acme-\d{4}-\d{2}-\d{2}\.csv"$/)
		expect(response.headers.get('cache-control')).toBe('no-store')
		const text = await response.text()
		const lines = text.split('\r\n').filter(Boolean)
		expect(lines[0]).toBe('seq,createdAt,type,actorId,targetType,targetId,ip,userAgent,data,id,prevHash,hash')
		expect(lines.length - 1).toBe(await countEvents('acme'))
		expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(Array.from({ length: lines.length - 1 }, (_, i) => i + 1))
		expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
		expect(text).not.toMatch(/(^|,)=HYPERLINK/m)
		expect(text).not.toContain('test.paged')
		expect(text).not.toContain('ghost-actor')
		const [exported] = await foyer.sql<{ data: { format: string; filters: object }; actorId: string }>(`SELECT data, "actorId" FROM "AuditEvent" WHERE type = 'audit.exported' ORDER BY "createdAt" DESC LIMIT 1`)
		expect(exported!.data).toEqual({ format: 'csv', filters: {} })
	})

	it('streams JSON as one array, with the filters applied and recorded', async () => {
		const response = await owner.request('/admin/audit/export?format=json&type=user.&from=2000-01-01')
		expect(response.status).toBe(200)
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-acme-.+\.json"$/)
		const events = (await response.json()) as { seq: number; type: string; createdAt: string; data: unknown }[]
		expect(events.length).toBe(await countEvents('acme', `type LIKE 'user.%'`))
		expect(events.every((event) => event.type.startsWith('user.'))).toBe(true)
		expect(events.some((event) => event.type === 'user.sign_in_failed')).toBe(true)
		expect(events[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T.+Z$/)
		const [exported] = await foyer.sql<{ data: unknown }>(`SELECT data FROM "AuditEvent" WHERE type = 'audit.exported' ORDER BY seq DESC LIMIT 1`)
		expect(exported!.data).toEqual({ format: 'json', filters: { type: 'user.', from: '2000-01-01' } })

		const empty = await owner.request('/admin/audit/export?format=json&type=nothing.here')
		expect(await empty.json()).toEqual([])
	})

	it('streams thousands of events across batches in order, whole', async () => {
		const response = await globex.request('/admin/audit/export?format=json')
		const events = (await response.json()) as { seq: number; type: string; data: { note?: string } }[]
		const total = await countEvents('globex')
		expect(total).toBeGreaterThan(BULK + PAGED)
		expect(events.map((event) => event.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
		expect(events.filter((event) => event.type === 'test.bulk')).toHaveLength(BULK)
		const csv = await (await globex.request('/admin/audit/export?format=csv&type=test.bulk')).text()
		expect(csv.split('\r\n').filter(Boolean)).toHaveLength(BULK + 1)
		expect(csv).toContain(`"{""i"":7,""note"":""=SUM(A1)""}"`)
	})

	it('refuses bad parameters with 400, writing no event', async () => {
		const before = await countEvents('acme', `type = 'audit.exported'`)
		for (const query of ['format=xml', 'format=csv&from=nope', 'format=csv&before=10', 'format=json&type=%3Cx%3E']) {
			const response = await owner.request(`/admin/audit/export?${query}`)
			expect(response.status, query).toBe(400)
			expect((await response.text()).length, query).toBeGreaterThan(10)
		}
		expect(await countEvents('acme', `type = 'audit.exported'`)).toBe(before)
	})
})

describe('the dashboard', () => {
	const row = (html: string, day: string) => {
		const cells = new RegExp(`data-day="${day}">.*?data-kind="signins">(\\d+)</td>.*?data-kind="failures">(\\d+)</td>`).exec(html)
		return { signIns: Number(cells?.[1]), failures: Number(cells?.[2]) }
	}

	it('counts sign-ins and failures per day from the log, users by state', async () => {
		const today = utcDay(Date.now())
		const before = row(await (await owner.request('/admin/dashboard')).text(), today)
		for (let i = 0; i < 2; i++) expect((await foyer.client('acme').post('/login', foyer.admins.acme!)).status).toBe(302)
		for (const email of ['ghost1@acme.example', 'ghost2@acme.example', foyer.admins.acme!.email]) {
			expect((await foyer.client('acme').post('/login', { email, password: 'not the password at all' })).status).toBe(400)
		}
		const response = await owner.request('/admin/dashboard')
		const html = await response.text()
		expect(response.status).toBe(200)
		expect(row(html, today)).toEqual({ signIns: before.signIns + 2, failures: before.failures + 3 })
		expect(row(html, today).signIns).toBe(await countEvents('acme', `type = 'user.signed_in' AND e."createdAt" >= $2::date`, [today]))
		const users = Number((await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE o.slug = 'acme'`))[0]!.n)
		expect(html).toContain(`data-testid="users-active">${users}<`)
		expect(html).toContain('data-testid="users-disabled">0<')
		expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="signins-chart-title"/)
		expect(html).toContain(`${today} ${row(html, today).signIns} sign-ins, ${row(html, today).failures} failures`)
	})

	it('counts mfa.failed as a failure, keeps to the last 7 days and to the org, and counts disabled users', async () => {
		const { client } = await newOrgAdmin('hooli', 'Hooli')
		const now = Date.now()
		const ago = (days: number) => new Date(now - days * 86_400_000)
		await appendChained('hooli', [
			...Array.from({ length: 3 }, () => ({ type: 'user.signed_in', actorId: null, targetId: null, createdAt: ago(6) })),
			{ type: 'user.signed_in', actorId: null, targetId: null, createdAt: ago(8) },
			{ type: 'mfa.failed', actorId: null, targetId: null, createdAt: ago(2) },
			{ type: 'mfa.failed', actorId: null, targetId: null, createdAt: ago(2) },
			{ type: 'user.sign_in_failed', actorId: null, targetId: null, createdAt: ago(2) },
			{ type: 'mfa.verified', actorId: null, targetId: null, createdAt: ago(2) },
		])
		await foyer.cli(['users', 'create', '--org', 'hooli', '--email', 'gone@hooli.example'])
		await foyer.sql(`UPDATE "User" SET "disabledAt" = now() WHERE email = 'gone@hooli.example'`)
		const html = await (await client.request('/admin/dashboard')).text()
		expect(row(html, utcDay(ago(6).getTime()))).toEqual({ signIns: 3, failures: 0 })
		expect(row(html, utcDay(ago(2).getTime()))).toEqual({ signIns: 0, failures: 3 })
		expect(html).not.toContain(`data-day="${utcDay(ago(8).getTime())}"`)
		expect([...html.matchAll(/data-day="/g)]).toHaveLength(7)
		expect(html).toContain('data-testid="users-active">1<')
		expect(html).toContain('data-testid="users-disabled">1<')
	})
})
