import { describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'

const PASSWORD = 'violet tractor moonlight 42'
// Behind a (simulated) proxy, so each test can speak from an IP of its own.
const foyer = foyerPerFile({ env: { TRUST_PROXY: 'true' } })

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } })

describe('sign-in throttling', () => {
	it('refuses an account after 10 failures with 429 and a readable message, even with the right password', async () => {
		const client = foyer.client('acme')
		const email = 'locked@example.com'
		expect((await client.post('/signup', { email, password: PASSWORD }, from('198.51.100.1'))).status).toBe(302)
		for (let i = 0; i < 10; i++) {
			const response = await foyer.client('acme').post('/login', { email, password: `wrong guess number ${i}` }, from('198.51.100.1'))
			expect(response.status, `attempt ${i + 1}`).toBe(400)
		}
		const blocked = await foyer.client('acme').post('/login', { email, password: PASSWORD }, from('198.51.100.2'))
		expect(blocked.status).toBe(429)
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(await blocked.text()).toMatch(/Too many attempts\. Try again in \d+ minutes\./)
		expect(blocked.headers.getSetCookie()).toEqual([])
		// The same email in another org is another account: unaffected.
		expect((await foyer.client('operator').post('/signup', { email, password: PASSWORD }, from('198.51.100.3'))).status).toBe(302)
		expect((await foyer.client('operator').post('/login', { email, password: PASSWORD }, from('198.51.100.3'))).status).toBe(302)
	})

	it('limits an unknown email exactly like a known one', async () => {
		for (let i = 0; i < 10; i++) await foyer.client('acme').post('/login', { email: 'nobody@example.com', password: `wrong guess number ${i}` }, from('198.51.100.4'))
		const blocked = await foyer.client('acme').post('/login', { email: 'nobody@example.com', password: 'wrong guess again' }, from('198.51.100.5'))
		expect(blocked.status).toBe(429)
	})

	it('clears the count on success, so an occasional typo never locks anyone out', async () => {
		const client = foyer.client('acme')
		const email = 'typo@example.com'
		await client.post('/signup', { email, password: PASSWORD }, from('198.51.100.6'))
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 9; i++) expect((await foyer.client('acme').post('/login', { email, password: 'a typo in my password' }, from('198.51.100.6'))).status).toBe(400)
			expect((await foyer.client('acme').post('/login', { email, password: PASSWORD }, from('198.51.100.6'))).status).toBe(302)
		}
	})

	it('limits one IP across many accounts (100 failures)', async () => {
		const ip = '198.51.100.7'
		for (let i = 0; i < 100; i++) {
			const response = await foyer.client('acme').post('/login', { email: `spray${i}@example.com`, password: 'Winter2024 is the password' }, from(ip))
			expect(response.status, `attempt ${i + 1}`).toBe(400)
		}
		const blocked = await foyer.client('acme').post('/login', { email: 'spray-next@example.com', password: 'Winter2024 is the password' }, from(ip))
		expect(blocked.status).toBe(429)
		// Another IP is not affected.
		expect((await foyer.client('acme').post('/login', { email: 'spray-next@example.com', password: 'Winter2024 is the password' }, from('198.51.100.8'))).status).toBe(400)
	})

	it('writes a failed sign-in audit event for each checked attempt', async () => {
		const rows = await foyer.sql<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent" WHERE type = 'user.sign_in_failed' AND data->>'email' = 'locked@example.com'`)
		expect(Number(rows[0]!.n)).toBe(10)
	})
})
