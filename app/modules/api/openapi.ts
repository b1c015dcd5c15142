import { z } from 'zod'
import { apiErrorBodySchema } from './errors'
import { ENDPOINTS, type EndpointDefinition } from './registry'

type JsonSchema = Record<string, unknown>

/**
 * Requests are described as clients send them (`io: 'input'`: defaults optional, before
 * transforms), responses as we send them. Refinements and transforms have no JSON Schema
 * spelling; `unrepresentable: 'any'` leaves them out rather than failing the whole document.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema
	return rest
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query') {
	if (!schema) return []
	const described = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
	return Object.entries(described.properties ?? {}).map(([name, property]) => ({
		name,
		in: where,
		required: where === 'path' || (described.required ?? []).includes(name),
		schema: property,
	}))
}

const ERROR_RESPONSES: Record<string, string> = {
	'400': 'invalid_request: the body, query or path failed validation; `details` names each field',
	'401': 'unauthorized: no API key, an unknown, revoked or expired key, a key of another org, or a key whose creator is disabled or was deleted',
	'403': 'forbidden: the key lacks a statement this endpoint needs, or the user who created it no longer holds it',
	'404': 'not_found: no such resource in this org',
	'409': 'conflict: the change clashes with existing data',
	'429': 'rate_limited: too many requests (per key), or too many without a valid key (per IP); see Retry-After',
}

function operation(id: string, endpoint: EndpointDefinition) {
	const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
	const errors = Object.fromEntries(
		Object.entries(ERROR_RESPONSES)
			.filter(([status]) => endpoint.statements !== null || status === '400')
			.map(([status, description]) => [status, { description, content: errorContent }]),
	)
	const { status, schema } = endpoint.response
	return {
		operationId: id,
		summary: endpoint.summary,
		security: endpoint.statements ? [{ apiKey: [] }] : [],
		/** The statements the key must hold (resource → actions), as in app/modules/permissions/statements.ts. */
		'x-foyer-statements': endpoint.statements ?? {},
		...(endpoint.operatorOnly ? { 'x-foyer-operator-only': true } : {}),
		parameters: [...parameters(endpoint.params, 'path'), ...parameters(endpoint.query, 'query')],
		...(endpoint.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } } } } : {}),
		responses: {
			[String(status)]: schema ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(schema, 'output') } } } : { description: 'Done, no content' },
			...errors,
		},
	}
}

/** The OpenAPI 3.1 document of every registered endpoint; `serverUrl` is the org's origin. */
export function buildOpenApiDocument(serverUrl?: string, endpoints: Record<string, EndpointDefinition> = ENDPOINTS) {
	const paths: Record<string, Record<string, unknown>> = {}
	for (const [id, endpoint] of Object.entries(endpoints)) {
		paths[endpoint.path] ??= {}
		paths[endpoint.path]![endpoint.method.toLowerCase()] = operation(id, endpoint)
	}
	return {
		openapi: '3.1.0',
		info: {
			title: 'Management API',
			version: '1',
			description: 'Send `Authorization: Bearer <API key>`. Keys belong to one org and work only on its hosts, until they expire; each carries statements (resource → actions). A key made in the console holds at most what the user who made it holds at the time of each request (their role now), and stops working while that user is disabled or once they are deleted; a key made with `foyer api-keys create` belongs to the server operator and keeps its statements. Lists take `?cursor=&limit=` (at most 100) and answer `{ data, nextCursor }`.',
		},
		...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
		paths,
		components: {
			securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`foyer_...`) from the console or `foyer api-keys create`' } },
			schemas: { Error: jsonSchema(apiErrorBodySchema, 'output') },
		},
	}
}
