import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildOpenApiDocument } from './openapi'
import { ENDPOINTS, type EndpointDefinition } from './registry'

type Operation = {
	operationId: string
	'x-foyer-statements': Record<string, string[]>
	parameters: { name: string; in: string; required: boolean }[]
	requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown>; required?: string[] } } } }
	responses: Record<string, { content?: { 'application/json': { schema: { properties?: Record<string, unknown> } } } }>
}

const document = buildOpenApiDocument('http://acme.localhost:3000')
const operation = (endpoint: EndpointDefinition) => (document.paths[endpoint.path] as Record<string, Operation> | undefined)?.[endpoint.method.toLowerCase()]

describe('the OpenAPI document', () => {
	it('is OpenAPI 3.1 for the org it is served on, and survives a JSON round trip', () => {
		expect(document.openapi).toBe('3.1.0')
		expect(document.servers).toEqual([{ url: 'http://acme.localhost:3000' }])
		expect(JSON.parse(JSON.stringify(document))).toEqual(document)
	})

	for (const [id, endpoint] of Object.entries(ENDPOINTS) as [string, EndpointDefinition][]) {
		it(`${endpoint.method} ${endpoint.path} (${id}) is there with its schemas and statements`, () => {
			const described = operation(endpoint)
			expect(described, `${endpoint.method} ${endpoint.path}`).toBeDefined()
			expect(described!.operationId).toBe(id)
			expect(described!['x-foyer-statements']).toEqual(endpoint.statements ?? {})

			const expectedParams = [...Object.keys(endpoint.params?.shape ?? {}), ...Object.keys(endpoint.query?.shape ?? {})]
			expect(described!.parameters.map((parameter) => parameter.name).sort()).toEqual(expectedParams.sort())
			for (const name of Object.keys(endpoint.params?.shape ?? {})) expect(described!.parameters.find((p) => p.name === name)).toMatchObject({ in: 'path', required: true })

			if (endpoint.body) {
				const schema = described!.requestBody!.content['application/json'].schema
				expect(schema).toEqual((({ $schema: _, ...rest }) => rest)(z.toJSONSchema(endpoint.body, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>))
			} else {
				expect(described!.requestBody).toBeUndefined()
			}

			const success = described!.responses[String(endpoint.response.status)]
			expect(success).toBeDefined()
			if (endpoint.response.schema instanceof z.ZodObject) {
				expect(Object.keys(success!.content!['application/json'].schema.properties ?? {})).toEqual(Object.keys(endpoint.response.schema.shape))
			} else if (endpoint.response.schema === null) {
				expect(success!.content).toBeUndefined()
			}
			if (endpoint.statements) expect(Object.keys(described!.responses)).toEqual(expect.arrayContaining(['400', '401', '403']))
		})
	}

	it('describes request bodies as clients send them (defaults optional, formats kept)', () => {
		const body = operation(ENDPOINTS.createUser)!.requestBody!.content['application/json'].schema
		expect(body.required).toEqual(['email'])
		expect(Object.keys(body.properties!)).toEqual(['email', 'name', 'role'])
		const listUsers = operation(ENDPOINTS.listUsers)!
		expect(listUsers.parameters.find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false, schema: { maximum: 100, minimum: 1 } })
	})

	it('describes custom roles and team membership: statements named per resource, PUT and DELETE on a member', () => {
		const body = operation(ENDPOINTS.createRole)!.requestBody!.content['application/json'].schema
		expect(body.required).toEqual(['name', 'statements'])
		expect(body.properties!.statements).toMatchObject({ type: 'object', description: expect.stringContaining('team (read, create, update, delete)') })
		expect(body.properties!.name).toMatchObject({ maxLength: 50, pattern: expect.any(String) })
		const member = document.paths['/api/v1/teams/{id}/members/{userId}'] as Record<string, Operation>
		expect(Object.keys(member).sort()).toEqual(['delete', 'put'])
		expect(member.put!.parameters.map((parameter) => parameter.name)).toEqual(['id', 'userId'])
	})
})
