import { describe, expect, it } from 'vitest'
import { foyerPerFile } from '../setup/foyer-per-file'

const foyer = foyerPerFile()

type Discovery = { issuer: string; jwks_uri: string; code_challenge_methods_supported: string[]; response_types_supported: string[]; grant_types_supported: string[] }
type Jwks = { keys: { kid: string; kty: string; alg: string; d?: string; p?: string }[] }

async function discover(slug: string) {
	const client = foyer.client(slug)
	const response = await client.request('/.well-known/openid-configuration')
	expect(response.status).toBe(200)
	return { client, discovery: (await response.json()) as Discovery }
}

describe('OIDC discovery per org', () => {
	it('names each org its own issuer, at its own origin', async () => {
		const { discovery } = await discover('acme')
		expect(discovery.issuer).toBe(`http://acme.localhost:${foyer.port}`)
		expect(discovery.jwks_uri).toBe(`http://acme.localhost:${foyer.port}/oidc/jwks`)
		expect((await discover('operator')).discovery.issuer).toBe(`http://localhost:${foyer.port}`)
	})

	it('offers only the code flow with S256 PKCE', async () => {
		const { discovery } = await discover('acme')
		expect(discovery.code_challenge_methods_supported).toEqual(['S256'])
		expect(discovery.response_types_supported).toEqual(['code'])
		expect(discovery.grant_types_supported).not.toContain('implicit')
		expect(discovery.grant_types_supported).not.toContain('password')
	})

	it('publishes each org its own public keys, never a private part', async () => {
		const acme = (await (await foyer.client('acme').request('/oidc/jwks')).json()) as Jwks
		const operator = (await (await foyer.client('operator').request('/oidc/jwks')).json()) as Jwks
		expect(acme.keys.length).toBeGreaterThan(0)
		expect(acme.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' })
		for (const key of [...acme.keys, ...operator.keys]) {
			expect(key.d).toBeUndefined()
			expect(key.p).toBeUndefined()
		}
		const acmeKids = acme.keys.map((key) => key.kid)
		expect(operator.keys.every((key) => !acmeKids.includes(key.kid))).toBe(true)
		const [stored] = await foyer.sql<{ private: string }>(`SELECT "privateJwkEncrypted" AS private FROM "SigningKey" WHERE id = $1`, [acmeKids[0]])
		expect(stored!.private).toMatch(/^v1\./)
		expect(stored!.private).not.toContain('"d"')
	})

	it('gives an org created while running its own issuer at once', async () => {
		const created = await foyer.cli(['orgs', 'create', '--name', 'Umbrella', '--slug', 'umbrella', '--json'])
		expect(created.code, created.stderr).toBe(0)
		expect((await discover('umbrella')).discovery.issuer).toBe(`http://umbrella.localhost:${foyer.port}`)
	})

	it('does not answer discovery on an unknown host', async () => {
		const response = await foyer.client('nobody').request('/.well-known/openid-configuration')
		expect(response.status).toBe(404)
	})
})
