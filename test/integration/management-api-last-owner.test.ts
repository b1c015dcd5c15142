import { beforeAll, expect, it } from 'vitest'
import { statementWordsFor } from '../../app/modules/apikeys/schema'
import { foyerPerFile } from '../setup/foyer-per-file'

/**
 * The last enabled owner survives concurrent calls: the API changes users through the console's
 * own changeUser, whose last-owner check holds a per-org lock to the end of its transaction, so
 * two demotions (or a demotion and a disable, or two deletions) of an org's last two owners cannot
 * both pass; nor can the last two owners deleting their own accounts at once.
 */
const foyer = foyerPerFile()
let key: string
let owners: [string, string]

async function api(path: string, method: string, body?: unknown) {
	const response = await foyer.client('globex').request(path, {
		method,
		headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
		origin: null,
	})
	const text = await response.text()
	return { status: response.status, json: text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : null }
}

const enabledOwners = async () =>
	(await foyer.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "User" u JOIN "Organization" o ON o.id = u."organizationId" WHERE o.slug = 'globex' AND u.role = 'owner' AND u."disabledAt" IS NULL`))[0]!.n

beforeAll(async () => {
	expect((await foyer.cli(['orgs', 'create', '--name', 'Globex', '--slug', 'globex'])).code).toBe(0)
	const ids: string[] = []
	for (const email of ['one@globex.example', 'two@globex.example']) {
		const made = await foyer.cli(['users', 'create', '--org', 'globex', '--email', email, '--json'])
		expect(made.code, made.stderr).toBe(0)
		ids.push(String(made.json!.id))
	}
	owners = ids as [string, string]
	const made = await foyer.cli(['api-keys', 'create', '--org', 'globex', '--name', 'all', '--allow', statementWordsFor(false).join(','), '--json'])
	expect(made.code, made.stderr).toBe(0)
	key = String(made.json!.key)
})

const resetOwners = () => foyer.sql(`UPDATE "User" SET role = 'owner', "disabledAt" = NULL WHERE id = ANY($1)`, [owners])

it('two concurrent demotions of the last two owners: one passes, the other is 409 conflict, every round', async () => {
	for (let round = 0; round < 25; round++) {
		await resetOwners()
		const [a, b] = await Promise.all(owners.map((id) => api(`/api/v1/users/${id}`, 'PATCH', { role: 'member' })))
		expect(await enabledOwners(), `round ${round}`).toBe(1)
		expect([a!.status, b!.status].sort(), `round ${round}`).toEqual([200, 409])
		const refused = [a, b].find((response) => response!.status === 409)!
		expect(refused.json!.error).toEqual({ code: 'conflict', message: 'This is the only active owner of the organization. Make someone else an owner first.' })
	}
})

it('a concurrent demotion and disable, or two deletions, never leave the org without an enabled owner', async () => {
	for (let round = 0; round < 15; round++) {
		await resetOwners()
		await Promise.all([api(`/api/v1/users/${owners[0]}`, 'PATCH', { role: 'member' }), api(`/api/v1/users/${owners[1]}`, 'PATCH', { disabled: true })])
		expect(await enabledOwners(), `round ${round}`).toBe(1)
	}
	await resetOwners()
	const deletions = await Promise.all(owners.map((id) => api(`/api/v1/users/${id}`, 'DELETE')))
	expect(deletions.map((response) => response.status).sort()).toEqual([204, 409])
	expect(await enabledOwners()).toBe(1)
	expect((await foyer.cli(['audit', 'verify', '--org', 'globex'])).code).toBe(0)
})

it('the last two owners deleting their own accounts at once: one goes, the other is told it is the only owner', async () => {
	await foyer.sql(`UPDATE "User" SET role = 'member' WHERE id = ANY($1)`, [owners])
	for (let round = 0; round < 6; round++) {
		const browsers = []
		for (const name of ['a', 'b']) {
			const email = `self-${round}-${name}@globex.example`
			const made = await foyer.cli(['users', 'create', '--org', 'globex', '--email', email, '--json'])
			expect(made.code, made.stderr).toBe(0)
			await foyer.sql(`UPDATE "User" SET role = 'owner' WHERE email = $1`, [email])
			const client = foyer.client('globex')
			expect((await client.post('/login', { email, password: String(made.json!.password) })).status).toBe(302)
			browsers.push({ client, email })
		}
		await foyer.sql(`UPDATE "User" u SET role = 'member' FROM "Organization" o WHERE o.id = u."organizationId" AND o.slug = 'globex' AND u.role = 'owner' AND u.email NOT LIKE $1`, [`self-${round}-%`])
		const answers = await Promise.all(browsers.map(({ client, email }) => client.post('/account/delete', { confirmEmail: email })))
		expect(answers.map((response) => response.status).sort(), `round ${round}`).toEqual([302, 409])
		expect(await enabledOwners(), `round ${round}`).toBe(1)
	}
})
