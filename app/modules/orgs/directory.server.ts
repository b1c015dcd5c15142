import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { toResolvedOrg, type HostConfig } from './resolve.server'
import { senderAddressFor } from './sender-domains.server'

/**
 * The operator's view of every org: a searchable, cursor-paged list and one org's details. Only
 * the operator console reads this; each row carries the host the org is served on, from
 * configuration and its verified primary domain, never from the request.
 */
export const ORGS_PAGE_SIZE = 25

/** Org ids are cuids; anything else is no cursor of ours and starts from the first page. */
const CURSOR = /^[a-z0-9]{10,40}$/

export function hostConfigFromEnv(): HostConfig {
	const { env } = config()
	return { baseDomain: env.FOYER_BASE_DOMAIN, operatorHost: env.FOYER_OPERATOR_HOST, scheme: env.FOYER_PUBLIC_SCHEME, port: env.publicPort }
}

const primaryDomain = { where: { verified: true, primary: true }, take: 1, select: { hostname: true } } as const

export type OrgListing = { id: string; slug: string; name: string; host: string; origin: string; users: number; createdAt: string; suspended: boolean; isOperator: boolean }

/** Oldest first, `PAGE_SIZE` at a time; `search` matches name or slug, case-insensitively. */
export async function listOrgsPage(options: { search?: string | null; cursor?: string | null }): Promise<{ orgs: OrgListing[]; nextCursor: string | null }> {
	const search = options.search?.trim().slice(0, 100) || null
	const cursor = options.cursor && CURSOR.test(options.cursor) ? options.cursor : null
	const rows = await db().organization.findMany({
		where: search ? { OR: [{ name: { contains: search, mode: 'insensitive' } }, { slug: { contains: search.toLowerCase() } }] } : {},
		orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
		take: ORGS_PAGE_SIZE + 1,
		...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
		include: { domains: primaryDomain, _count: { select: { users: true } } },
	})
	const page = rows.slice(0, ORGS_PAGE_SIZE)
	const hosts = hostConfigFromEnv()
	return {
		orgs: page.map((row) => {
			const resolved = toResolvedOrg(row, hosts)
			return { id: row.id, slug: row.slug, name: row.name, host: resolved.host, origin: resolved.origin, users: row._count.users, createdAt: row.createdAt.toISOString(), suspended: row.suspendedAt !== null, isOperator: row.isOperator }
		}),
		nextCursor: rows.length > ORGS_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
	}
}

/** One org by slug for the details page, or null (a slug that is not a DNS label finds nothing). */
export async function getOrgDetails(slug: string | undefined) {
	if (!slug || !/^[a-z0-9-]{1,63}$/.test(slug)) return null
	const row = await db().organization.findUnique({
		where: { slug },
		include: {
			domains: { orderBy: { hostname: 'asc' }, select: { hostname: true, verified: true, primary: true } },
			_count: { select: { users: true, applications: true } },
		},
	})
	if (!row) return null
	const resolved = toResolvedOrg({ ...row, domains: row.domains.filter((domain) => domain.verified && domain.primary) }, hostConfigFromEnv())
	const pendingInvitations = await db().invitation.count({ where: { organizationId: row.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } })
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		isOperator: row.isOperator,
		brandColor: row.brandColor,
		themeId: row.themeId,
		host: resolved.host,
		origin: resolved.origin,
		createdAt: row.createdAt.toISOString(),
		suspendedAt: row.suspendedAt?.toISOString() ?? null,
		users: row._count.users,
		apps: row._count.applications,
		pendingInvitations,
		domains: row.domains,
		senderDomains: resolved.senderDomains,
		/** What its email is sent from now (its own address only while on an allowed domain). */
		senderAddress: senderAddressFor(resolved),
	}
}

export async function operatorOrgId(): Promise<string> {
	const operator = await db().organization.findFirst({ where: { isOperator: true }, select: { id: true } })
	if (!operator) throw new Error('no operator organization')
	return operator.id
}
