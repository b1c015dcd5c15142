import { type z, ZodError } from 'zod'
import { type RequestContext } from '../../context'
import { logger } from '../../utils/logger.server'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { ApiError, invalidRequest } from './errors'
import { requireApiKey } from './guard.server'
import { type EndpointDefinition } from './registry'
import { isUniqueViolation } from '../../utils/db.server'

type Out<S> = S extends z.ZodType ? z.output<S> : undefined

export type ApiInput<E extends EndpointDefinition> = {
	request: Request
	context: RequestContext
	/** Null only for endpoints without statements (the public document). */
	key: E['statements'] extends null ? null : AuthenticatedKey
	params: Out<E['params']>
	query: Out<E['query']>
	body: Out<E['body']>
}

type Body<E extends EndpointDefinition> = E['response']['schema'] extends z.ZodType ? z.input<E['response']['schema']> : null

/** What a Remix loader or action receives, as far as the API reads it. */
type RouteArgs = { request: Request; context: RequestContext; params: Record<string, string | undefined> }

type Handler = (args: RouteArgs) => Promise<Response>

export function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
	return new Response(status === 204 ? null : JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
	})
}

function parse<S extends z.ZodType>(schema: S, value: unknown, source: 'body' | 'query' | 'path') {
	const result = schema.safeParse(value)
	if (!result.success) throw source === 'path' ? new ApiError('not_found', 'No such resource in this organization.') : invalidRequest(result.error, source)
	return result.data
}

async function readJson(request: Request): Promise<unknown> {
	const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
	if (type !== 'application/json') throw new ApiError('invalid_request', 'Send the body as JSON (Content-Type: application/json).', [{ path: 'body', message: 'must be application/json' }], 415)
	try {
		return JSON.parse(await request.text())
	} catch {
		throw new ApiError('invalid_request', 'The body is not valid JSON.', [{ path: 'body', message: 'not valid JSON' }])
	}
}

/**
 * One endpoint's request path: platform check → API key and its statements → path, query and
 * body parsed with the registry's schemas → the handler. Every failure is a JSON error with a
 * stable code; nothing a client sends becomes a 500.
 */
export function endpoint<E extends EndpointDefinition>(definition: E, handle: (input: ApiInput<E>) => Promise<Body<E>>): Handler {
	return async ({ request, context, params }) => {
		try {
			if (definition.operatorOnly && !context.org.isOperator) throw new ApiError('not_found', 'This endpoint is only on the operator host.')
			const key = definition.statements ? await requireApiKey(request, context, definition.statements) : null
			const url = new URL(request.url)
			const input = {
				request,
				context,
				key,
				params: definition.params ? parse(definition.params, params, 'path') : undefined,
				query: definition.query ? parse(definition.query, Object.fromEntries(url.searchParams), 'query') : undefined,
				body: definition.body ? parse(definition.body, await readJson(request), 'body') : undefined,
			} as ApiInput<E>
			const body = await handle(input)
			return json(body, definition.response.status)
		} catch (error) {
			return errorResponse(error, context)
		}
	}
}

function errorResponse(error: unknown, context: RequestContext) {
	if (error instanceof ApiError) return json(error.body, error.status, { ...(error.code === 'unauthorized' ? { 'www-authenticate': 'Bearer' } : {}), ...error.headers })
	// Modules validate their input again: a failure there is still the request's fault.
	if (error instanceof ZodError) return json(invalidRequest(error, 'body').body, 400)
	if (isUniqueViolation(error)) return json(new ApiError('conflict', 'That clashes with an existing record.').body, 409)
	logger.error({ err: error, requestId: context.requestId }, 'api request failed')
	return json(new ApiError('internal_error', 'Something went wrong. Try again in a moment.').body, 500)
}

/**
 * A route's handlers by method: `loader` serves GET (and HEAD), `action` the rest; a method the
 * route does not register is 405 with the ones it does.
 */
export function apiRoute(handlers: Partial<Record<EndpointDefinition['method'], Handler>>) {
	const allow = Object.keys(handlers).join(', ')
	const dispatch: Handler = async (args) => {
		const method = args.request.method === 'HEAD' ? 'GET' : (args.request.method as EndpointDefinition['method'])
		const handler = handlers[method]
		if (!handler) return json(new ApiError('method_not_allowed', `Use ${allow}.`).body, 405, { allow })
		return handler(args)
	}
	return { loader: dispatch, action: dispatch }
}
