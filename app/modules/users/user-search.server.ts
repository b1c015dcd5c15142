import { z } from 'zod'
import { Prisma } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { normalizeEmail } from './email'

/**
 * The console's user list: a prefix search on the normalized email and keyset paging on it.
 *
 * Rules:
 * - Emails are stored normalized (NFKC, trimmed, lowercased), so the query is normalized the same
 *   way and a plain case-sensitive prefix match is a case-insensitive search.
 * - Only a prefix match: `email LIKE 'ann%'` (wildcards in the query escaped) is a range scan of the
 *   `(organizationId, email)` unique index under the C collation Foyer's databases are created
 *   with, so it stays fast at a million users. A substring match would need a trigram index.
 * - The order is the email (unique per org), so it is stable; the cursor is the last (or first)
 *   email seen, opaque to the browser, and never an OFFSET.
 */

export const PAGE_SIZE = 50

type Cursor = { direction: 'after' | 'before'; email: string }

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify({ d: cursor.direction === 'after' ? 'a' : 'b', e: cursor.email }), 'utf8').toString('base64url')
}

const cursorPayload = z.object({ d: z.enum(['a', 'b']), e: z.string().min(1).max(254) })

/** The cursor in `?cursor=`, or null when it is not one of ours (the caller answers 400). */
export function decodeCursor(raw: string): Cursor | null {
	if (!/^[A-Za-z0-9_-]{1,1000}$/.test(raw)) return null
	try {
		const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')))
		return parsed.success ? { direction: parsed.data.d === 'a' ? 'after' : 'before', email: parsed.data.e } : null
	} catch {
		return null
	}
}

export const userListQuerySchema = z.object({
	q: z
		.string()
		.max(254, 'Search for at most 254 characters.')
		.refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'The search cannot contain control characters.')
		.transform(normalizeEmail)
		.optional(),
	cursor: z
		.string()
		.transform((raw, ctx) => {
			const cursor = decodeCursor(raw)
			if (!cursor) {
				ctx.addIssue({ code: 'custom', message: 'That page link is not valid. Start again from the first page.' })
				return z.NEVER
			}
			return cursor
		})
		.optional(),
})

export type UserListQuery = z.output<typeof userListQuerySchema>

export type ListedUser = { id: string; email: string; role: string; disabled: boolean; mfa: boolean; createdAt: string; lastSignInAt: string | null }

export type UserPage = { users: ListedUser[]; next: string | null; previous: string | null }

/** Escapes LIKE's wildcards so `a_b` finds `a_b...`, not `axb...`. */
function likePrefix(prefix: string) {
	return `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

type Row = { id: string; email: string; role: string; disabledAt: Date | null; createdAt: Date; mfa: boolean; lastSignInAt: Date | null }

/**
 * One page of the org's users. MFA and last sign-in are subqueries evaluated only for the rows of
 * the page. Last sign-in is the newest session's start: sessions rotate at every sign-in.
 */
export async function listUsersPage(organizationId: string, query: UserListQuery): Promise<UserPage> {
	const cursor = query.cursor
	const backwards = cursor?.direction === 'before'
	const conditions = [Prisma.sql`u."organizationId" = ${organizationId}`]
	if (query.q) conditions.push(Prisma.sql`u.email LIKE ${likePrefix(query.q)}`)
	if (cursor) conditions.push(backwards ? Prisma.sql`u.email < ${cursor.email}` : Prisma.sql`u.email > ${cursor.email}`)
	const rows = await db().$queryRaw<Row[]>`
		SELECT u.id, u.email, u.role, u."disabledAt", u."createdAt",
			(EXISTS (SELECT 1 FROM "TotpFactor" t WHERE t."userId" = u.id AND t."confirmedAt" IS NOT NULL)
				OR EXISTS (SELECT 1 FROM "Passkey" p WHERE p."userId" = u.id)
				OR EXISTS (SELECT 1 FROM "PhoneFactor" f WHERE f."userId" = u.id AND f."verifiedAt" IS NOT NULL)) AS mfa,
			(SELECT max(s."createdAt") FROM "Session" s WHERE s."userId" = u.id) AS "lastSignInAt"
		FROM "User" u
		WHERE ${Prisma.join(conditions, ' AND ')}
		ORDER BY u.email ${backwards ? Prisma.sql`DESC` : Prisma.sql`ASC`}
		LIMIT ${PAGE_SIZE + 1}`
	const more = rows.length > PAGE_SIZE
	const page = rows.slice(0, PAGE_SIZE)
	if (backwards) page.reverse()
	const first = page[0]
	const last = page[page.length - 1]
	// Going forwards there is a page before whenever we started from a cursor; backwards, the
	// cursor's own row is after this page.
	const hasNext = backwards ? Boolean(cursor) : more
	const hasPrevious = backwards ? more : Boolean(cursor)
	return {
		users: page.map((row) => ({
			id: row.id,
			email: row.email,
			role: row.role,
			disabled: row.disabledAt !== null,
			mfa: row.mfa,
			createdAt: row.createdAt.toISOString(),
			lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
		})),
		next: hasNext && last ? encodeCursor({ direction: 'after', email: last.email }) : null,
		previous: hasPrevious && first ? encodeCursor({ direction: 'before', email: first.email }) : null,
	}
}
