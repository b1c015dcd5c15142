import { describe, expect, it } from 'vitest'
import { PASSWORD, signUpVerified } from '../setup/accounts'
import { foyerPerFile } from '../setup/foyer-per-file'
import { type Client } from '../setup/http'

const foyer = foyerPerFile()
let counter = 0
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${counter++}@example.com`

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

/** A second browser of the same person, signed in with their password and its own user agent. */
async function signInAs(email: string, userAgent: string) {
	const client = foyer.client('acme')
	const response = await client.post('/login', { email, password: PASSWORD }, { headers: { 'user-agent': userAgent } })
	expect(response.status).toBe(302)
	return client
}

async function sessionIds(email: string) {
	const rows = await foyer.sql<{ id: string; revokedAt: Date | null }>(
		`SELECT s.id, s."revokedAt" FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 ORDER BY s."createdAt"`,
		[email],
	)
	return rows
}

const signedIn = async (client: Client) => (await client.request('/account')).status === 200

describe('/account/sessions', () => {
	it('lists each live session with its device, and marks this one', async () => {
		const email = uniqueEmail('devices')
		const phone = await signUpVerified(foyer, 'acme', email)
		await signInAs(email, FIREFOX)
		await signInAs(email, SAFARI)
		const page = await phone.request('/account/sessions')
		expect(page.status).toBe(200)
		const html = await page.text()
		expect(html.match(/data-testid="session"/g)).toHaveLength(3)
		expect(html).toContain('Firefox 133 on Windows')
		expect(html).toContain('Safari 17 on iOS')
		expect(html.match(/This device/g)).toHaveLength(1)
		expect(html).toContain('Sign out all other devices')
	})

	it('revokes one other session: that browser is signed out, this one is not', async () => {
		const email = uniqueEmail('revoke-one')
		const mine = await signUpVerified(foyer, 'acme', email)
		const other = await signInAs(email, FIREFOX)
		const [, otherSession] = await sessionIds(email)
		const response = await mine.post('/account/sessions', { intent: 'revoke', sessionId: otherSession!.id })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/account/sessions')
		expect(await signedIn(other)).toBe(false)
		expect(await signedIn(mine)).toBe(true)
		const [event] = await foyer.sql<{ data: { sessionId: string; count: number } }>(`SELECT data FROM "AuditEvent" WHERE type = 'user.sessions_revoked' AND data->>'sessionId' = $1`, [otherSession!.id])
		expect(event?.data.count).toBe(1)
	})

	it('signs out every other device at once', async () => {
		const email = uniqueEmail('revoke-others')
		const mine = await signUpVerified(foyer, 'acme', email)
		const others = [await signInAs(email, FIREFOX), await signInAs(email, SAFARI)]
		const response = await mine.post('/account/sessions', { intent: 'revoke-others' })
		expect(response.status).toBe(302)
		for (const other of others) expect(await signedIn(other)).toBe(false)
		expect(await signedIn(mine)).toBe(true)
		expect((await sessionIds(email)).filter((session) => !session.revokedAt)).toHaveLength(1)
	})

	it('revoking this session signs this browser out', async () => {
		const email = uniqueEmail('revoke-self')
		const mine = await signUpVerified(foyer, 'acme', email)
		const [current] = await sessionIds(email)
		const response = await mine.post('/account/sessions', { intent: 'revoke', sessionId: current!.id })
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/login')
		expect(await signedIn(mine)).toBe(false)
	})

	it("cannot end someone else's session, in this org or another", async () => {
		const victimEmail = uniqueEmail('victim')
		const victim = await signUpVerified(foyer, 'acme', victimEmail)
		const operatorVictim = await signUpVerified(foyer, 'operator', victimEmail)
		const attacker = await signUpVerified(foyer, 'acme', uniqueEmail('attacker'))
		for (const { id } of await sessionIds(victimEmail)) {
			const response = await attacker.post('/account/sessions', { intent: 'revoke', sessionId: id })
			expect(response.status).toBe(404)
		}
		expect(await signedIn(victim)).toBe(true)
		expect(await signedIn(operatorVictim)).toBe(true)
	})

	it('refuses malformed requests with 400 and sends anonymous visitors to sign in', async () => {
		const mine = await signUpVerified(foyer, 'acme', uniqueEmail('bad-input'))
		const bad: Record<string, string>[] = [{ intent: 'revoke' }, { intent: 'revoke', sessionId: 'x'.repeat(500) }, { intent: 'revoke', sessionId: "'; DROP TABLE" }, { intent: 'nope' }]
		for (const fields of bad) {
			expect((await mine.post('/account/sessions', fields)).status, JSON.stringify(fields)).toBe(400)
		}
		expect(await signedIn(mine)).toBe(true)
		const anonymous = await foyer.client('acme').request('/account/sessions')
		expect(anonymous.status).toBe(302)
		expect(anonymous.headers.get('location')).toBe('/login?redirectTo=%2Faccount%2Fsessions')
	})
})
