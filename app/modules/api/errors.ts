import { z, type ZodError } from 'zod'

/**
 * The API's error codes. Clients branch on `code`, never on `message` (which may be reworded),
 * so a code, once shipped, stays.
 */
export const API_ERROR_CODES = ['invalid_request', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'rate_limited', 'internal_error'] as const
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

export const errorDetailSchema = z.object({ path: z.string(), message: z.string() })

export const apiErrorBodySchema = z.object({
	error: z.object({
		code: z.enum(API_ERROR_CODES),
		message: z.string(),
		/** For `invalid_request`: one entry per bad field, `path` dotted (`body.email`, `query.limit`). */
		details: z.array(errorDetailSchema).optional(),
	}),
})

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>

const STATUS: Record<ApiErrorCode, number> = {
	invalid_request: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	method_not_allowed: 405,
	conflict: 409,
	rate_limited: 429,
	internal_error: 500,
}

/** Thrown anywhere below a handler; the handler turns it into the JSON error response. */
export class ApiError extends Error {
	readonly status: number
	constructor(
		readonly code: ApiErrorCode,
		message: string,
		readonly details?: z.infer<typeof errorDetailSchema>[],
		status?: number,
		/** Extra response headers (Retry-After). */
		readonly headers: Record<string, string> = {},
	) {
		super(message)
		this.status = status ?? STATUS[code]
	}

	get body(): ApiErrorBody {
		return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
	}
}

/** zod issues as field details, each path prefixed with where the value came from. */
export function invalidRequest(error: ZodError, source: 'body' | 'query' | 'path') {
	const details = error.issues.map((issue) => ({ path: [source, ...issue.path.map(String)].join('.'), message: issue.message }))
	return new ApiError('invalid_request', `The request ${source === 'path' ? 'path' : source} is not valid.`, details)
}
