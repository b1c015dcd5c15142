import { z } from 'zod'

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 50

/** `?cursor=&limit=` for every list: the cursor is opaque to clients (base64url of our position). */
export const pageQuerySchema = z.object({
	cursor: z.string().max(512, 'cursor is too long').optional(),
	limit: z.coerce
		.number({ error: 'limit must be a number' })
		.int('limit must be a whole number')
		.min(1, 'limit must be at least 1')
		.max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
		.default(DEFAULT_PAGE_SIZE),
})

export function pageSchema<T extends z.ZodType>(item: T) {
	return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}

export function encodeCursor(position: string | number): string {
	return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')
}

/** The position a cursor stands for, or null when it is not one of ours (the caller answers 400). */
export function decodeCursor<T extends 'string' | 'number'>(cursor: string, kind: T): (T extends 'string' ? string : number) | null {
	try {
		const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
		if (kind === 'number' ? Number.isSafeInteger(value) : typeof value === 'string' && value.length <= 200) return value as never
	} catch {
		// fall through: not a cursor we issued
	}
	return null
}

/**
 * One page from `limit + 1` rows read in order: the extra row only says whether there is more.
 * The next cursor is the position of the last row returned.
 */
export function toPage<Row, Item>(rows: Row[], limit: number, position: (row: Row) => string | number, serialize: (row: Row) => Item) {
	const more = rows.length > limit
	const page = more ? rows.slice(0, limit) : rows
	const last = page[page.length - 1]
	return { data: page.map(serialize), nextCursor: more && last !== undefined ? encodeCursor(position(last)) : null }
}
