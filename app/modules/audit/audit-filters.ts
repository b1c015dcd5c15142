import { z } from 'zod'
import { normalizeEmail } from '../users/email'

/**
 * The audit log's filters and cursor, as they arrive in a URL (the filter form is a GET form, and
 * the export link carries the same parameters).
 *
 * Rules:
 * - Empty fields mean "no filter" (a GET form sends every field, filled or not).
 * - `actor` is an email (normalized like stored emails) or a user id; `type` is an exact event
 *   type (`user.signed_in`) or a prefix ending in a dot (`user.`, `user.*` is read the same);
 *   `target` an id; `from`/`to` UTC dates (YYYY-MM-DD), both days included.
 * - The cursor is a `seq`: `before` (older page) or `after` (newer page), never both, never an OFFSET.
 * - Anything else is a 400 with a message per field, never a 500.
 */

export const AUDIT_PAGE_SIZE = 50
/** seq is a PostgreSQL integer. */
const MAX_SEQ = 2_147_483_647

const ID = /^[A-Za-z0-9_-]{1,100}$/
const TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)*(\.|\.\*)?$/
const TARGET = /^[\x21-\x7e]{1,200}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

export const FILTER_FIELDS = ['actor', 'type', 'target', 'from', 'to'] as const
export type FilterField = (typeof FILTER_FIELDS)[number]

export type AuditFilters = {
	/** A normalized email, or a user id. */
	actor?: { email: string } | { id: string }
	type?: { exact: string } | { prefix: string }
	target?: string
	/** Inclusive UTC day bounds, as YYYY-MM-DD. */
	from?: string
	to?: string
}
export type AuditCursor = { before?: number; after?: number }

function isRealDate(value: string) {
	const date = new Date(`${value}T00:00:00.000Z`)
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value)
const optionalText = <T>(schema: z.ZodType<T, string>) => z.preprocess(blankToUndefined, schema.optional())

const dateField = (label: string) => z.string().regex(DATE, `${label} must be a date like 2026-01-31.`).refine(isRealDate, `${label} is not a real date.`)

const seqField = (label: string) =>
	z
		.string()
		.regex(/^\d{1,10}$/, `${label} must be an event number.`)
		.transform(Number)
		.refine((n) => n >= 1 && n <= MAX_SEQ, `${label} must be an event number.`)

const querySchema = z
	.object({
		actor: optionalText(
			z
				.string()
				.max(254, 'Actor must be at most 254 characters.')
				.refine((value) => (value.includes('@') ? !/[\s\u0000-\u001f\u007f]/.test(value) : ID.test(value)), 'Enter an email address or a user id.'),
		),
		type: optionalText(z.string().max(100, 'Event type must be at most 100 characters.').regex(TYPE, 'Enter an event type like user.signed_in, or a prefix like user.')),
		target: optionalText(z.string().regex(TARGET, 'Enter a target id (no spaces, at most 200 characters).')),
		from: optionalText(dateField('From')),
		to: optionalText(dateField('To')),
		before: optionalText(seqField('Older than')),
		after: optionalText(seqField('Newer than')),
	})
	.superRefine((value, ctx) => {
		if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'To must be on or after From.' })
		if (value.before !== undefined && value.after !== undefined) ctx.addIssue({ code: 'custom', path: ['before'], message: 'Use either before or after, not both.' })
	})

export type ParsedAuditQuery =
	| { ok: true; filters: AuditFilters; cursor: AuditCursor }
	| { ok: false; errors: Partial<Record<FilterField | 'before' | 'after', string[]>> }

/** Reads the filters and cursor from a URL's search params (the first value of each). */
export function parseAuditQuery(params: URLSearchParams): ParsedAuditQuery {
	const raw = Object.fromEntries(['actor', 'type', 'target', 'from', 'to', 'before', 'after'].map((key) => [key, params.get(key) ?? undefined]))
	const parsed = querySchema.safeParse(raw)
	if (!parsed.success) {
		const errors: Record<string, string[]> = {}
		for (const issue of parsed.error.issues) {
			const key = String(issue.path[0] ?? 'type')
			errors[key] = [...new Set([...(errors[key] ?? []), issue.message])]
		}
		return { ok: false, errors }
	}
	const value = parsed.data
	const filters: AuditFilters = {}
	if (value.actor) filters.actor = value.actor.includes('@') ? { email: normalizeEmail(value.actor) } : { id: value.actor }
	if (value.type) filters.type = value.type.endsWith('.*') ? { prefix: value.type.slice(0, -1) } : value.type.endsWith('.') ? { prefix: value.type } : { exact: value.type }
	if (value.target) filters.target = value.target
	if (value.from) filters.from = value.from
	if (value.to) filters.to = value.to
	return { ok: true, filters, cursor: { before: value.before, after: value.after } }
}

/** The filters as form values (what the user typed, normalized). */
export function filterValues(filters: AuditFilters): Record<FilterField, string> {
	return {
		actor: filters.actor ? ('email' in filters.actor ? filters.actor.email : filters.actor.id) : '',
		type: filters.type ? ('exact' in filters.type ? filters.type.exact : filters.type.prefix) : '',
		target: filters.target ?? '',
		from: filters.from ?? '',
		to: filters.to ?? '',
	}
}

/** The filters (and optionally a cursor) as URL search params, leaving out empty ones. */
export function filterSearchParams(filters: AuditFilters, cursor: AuditCursor = {}): URLSearchParams {
	const params = new URLSearchParams()
	for (const [key, value] of Object.entries(filterValues(filters))) if (value) params.set(key, value)
	if (cursor.before !== undefined) params.set('before', String(cursor.before))
	if (cursor.after !== undefined) params.set('after', String(cursor.after))
	return params
}

/** The first instant after a `to` day, and the first instant of a `from` day (UTC). */
export function dayBounds(filters: Pick<AuditFilters, 'from' | 'to'>) {
	const from = filters.from ? new Date(`${filters.from}T00:00:00.000Z`) : undefined
	const until = filters.to ? new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + 86_400_000) : undefined
	return { from, until }
}
