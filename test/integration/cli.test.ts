import { describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'

const foyer = foyerPerFile()

describe('foyer CLI', () => {
	it('creates an org and prints exactly one JSON object', async () => {
		const result = await foyer.cli(['orgs', 'create', '--name', 'Initech', '--slug', 'initech', '--color', '#0EA5E9', '--json'])
		expect(result.code, result.stderr).toBe(0)
		expect(result.stdout.trim().split('\n')).toHaveLength(1)
		expect(result.json).toMatchObject({ slug: 'initech', name: 'Initech', brandColor: '#0ea5e9', url: `http://initech.localhost:${foyer.port}` })
		const [event] = await foyer.sql<{ type: string }>(`SELECT e.type FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'initech'`)
		expect(event).toEqual({ type: 'org.created' })
		const [key] = await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "SigningKey" k JOIN "Organization" o ON o.id = k."organizationId" WHERE o.slug = 'initech'`)
		expect(key!.n).toBe('1')
	})

	it('lists orgs', async () => {
		const result = await foyer.cli(['orgs', 'list', '--json'])
		expect(result.code).toBe(0)
		const slugs = (result.json!.orgs as { slug: string }[]).map((org) => org.slug)
		expect(slugs).toEqual(expect.arrayContaining(['operator', 'acme']))
	})

	it('exits 1 with a message for a failure the user can fix', async () => {
		const taken = await foyer.cli(['orgs', 'create', '--name', 'Acme again', '--slug', 'acme', '--json'])
		expect(taken.code).toBe(1)
		expect(taken.stderr).toContain('already exists')
		expect(taken.json).toMatchObject({ ok: false })
		const badColor = await foyer.cli(['orgs', 'create', '--name', 'X', '--slug', 'xcolor', '--color', 'blue'])
		expect(badColor.code).toBe(1)
		expect(badColor.stderr).toContain('hex colour')
		const reserved = await foyer.cli(['orgs', 'create', '--name', 'Op', '--slug', 'operator'])
		expect(reserved.code).toBe(1)
		const unknownOrg = await foyer.cli(['users', 'create', '--org', 'nope', '--email', 'a@example.com'])
		expect(unknownOrg.code).toBe(1)
		expect(unknownOrg.stderr).toContain('no organization')
	})

	it('exits 2 on bad usage', async () => {
		for (const args of [['orgs', 'create', '--name', 'X'], ['orgs', 'fly'], ['orgs', 'list', '--wat'], []]) {
			const result = await foyer.cli(args)
			expect(result.code, args.join(' ')).toBe(2)
			expect(result.stderr + result.stdout).toMatch(/usage/)
		}
	})

	it('creates a user whose printed password signs in on the org host', async () => {
		const result = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'Grace@Example.com', '--admin', '--json'])
		expect(result.code, result.stderr).toBe(0)
		expect(result.json).toMatchObject({ email: 'grace@example.com', role: 'admin', org: 'acme' })
		const password = result.json!.password as string
		const login = await foyer.client('acme').post('/login', { email: 'grace@example.com', password })
		expect(login.status).toBe(302)
		// Not in the other org's pool.
		expect((await foyer.client('operator').post('/login', { email: 'grace@example.com', password })).status).toBe(400)
		const again = await foyer.cli(['users', 'create', '--org', 'acme', '--email', 'grace@example.com'])
		expect(again.code).toBe(1)
	})

	it('signs in with the first-start admin credentials', async () => {
		expect(foyer.admins.acme?.email).toBe('admin@acme.localhost')
		expect(foyer.admins.operator?.email).toBe('admin@operator.localhost')
		const login = await foyer.client('acme').post('/login', foyer.admins.acme!)
		expect(login.status).toBe(302)
		const [admin] = await foyer.sql<{ role: string }>(`SELECT role FROM "User" WHERE email = 'admin@acme.localhost'`)
		expect(admin!.role).toBe('owner')
	})

	it('verifies the audit chain and reports the first broken link', async () => {
		const ok = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(ok.code).toBe(0)
		expect(ok.json).toMatchObject({ ok: true })
		const events = ok.json!.events as number
		expect(events).toBeGreaterThan(1)

		await foyer.sql(`UPDATE "AuditEvent" SET data = '{"email":"mallory@example.com"}' WHERE seq = 2 AND "organizationId" = (SELECT id FROM "Organization" WHERE slug = 'acme')`)
		const broken = await foyer.cli(['audit', 'verify', '--org', 'acme', '--json'])
		expect(broken.code).toBe(1)
		expect(broken.json).toMatchObject({ ok: false, brokenAt: { seq: 2 } })
		expect(broken.stderr).toContain('event #2')

		// Other orgs' chains are independent.
		expect((await foyer.cli(['audit', 'verify', '--org', 'operator', '--json'])).json).toMatchObject({ ok: true })
	})
})

describe('foyer orgs set-sender-domains', () => {
	it('sets, shows and clears the domains an org may send email from', async () => {
		const set = await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme', 'acme.example', 'Mail.Acme.example', '--json'])
		expect(set.code, set.stderr).toBe(0)
		expect(set.json).toMatchObject({ org: 'acme', senderDomains: ['acme.example', 'mail.acme.example'] })
		const shown = await foyer.cli(['orgs', 'sender-domains', '--org', 'acme', '--json'])
		expect(shown.json).toEqual({ org: 'acme', senderDomains: ['acme.example', 'mail.acme.example'], senderAddress: 'no-reply@localhost' })
		expect((await foyer.cli(['orgs', 'sender-domains', '--org', 'acme'])).stdout).toContain('Sender domains of acme: acme.example, mail.acme.example')
		const [event] = await foyer.sql<{ actorId: string | null }>(`SELECT e."actorId" FROM "AuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = 'acme' AND e.type = 'org.sender_domains_changed'`)
		expect(event).toEqual({ actorId: null })

		const sender = await foyer.cli(['orgs', 'set', '--org', 'acme', 'emailSenderAddress=ceo@bank.example'])
		expect(sender.code, 'a refused setting, like every other').toBe(2)
		expect(sender.stderr).toContain('bank.example is not a sender domain allowed for this organization')
		expect((await foyer.cli(['orgs', 'set', '--org', 'acme', 'emailSenderAddress=hello@mail.acme.example'])).code).toBe(0)
		expect((await foyer.cli(['orgs', 'sender-domains', '--org', 'acme', '--json'])).json).toMatchObject({ senderAddress: 'hello@mail.acme.example' })

		const cleared = await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme', '--none', '--json'])
		expect(cleared.json).toMatchObject({ senderDomains: [] })
		expect((await foyer.cli(['orgs', 'sender-domains', '--org', 'acme', '--json'])).json, 'the stored address stays, unused').toMatchObject({ senderAddress: 'no-reply@localhost' })
	})

	it('fails clearly: nothing to set or both at once exit 2, a bad domain exits 1', async () => {
		expect((await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme'])).code).toBe(2)
		expect((await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme', 'a.example', '--none'])).code).toBe(2)
		const bad = await foyer.cli(['orgs', 'set-sender-domains', '--org', 'acme', 'not_a_domain'])
		expect(bad.code).toBe(1)
		expect(bad.stderr).toContain('is not a domain name')
		expect((await foyer.cli(['orgs', 'set-sender-domains', '--org', 'nowhere', 'a.example'])).code).toBe(1)
	})
})
