import { LRUCache } from 'lru-cache'
import { type Organization } from '../../generated/prisma/client'
import { db } from '../../utils/db.server'
import { documentFromLegacy, readStoredDocument, type BrandingDocument } from '../branding/document'
import { defaultHost, originFor, slugFromHost, type PublicUrlConfig } from './hosts'
import { parseOrgSettings, type OrgSettings } from './settings'
import { platformDefaults } from './settings.server'

/** What a request knows of its org: the row, its parsed settings and its canonical origin. */
export type ResolvedOrg = Pick<Organization, 'id' | 'slug' | 'name' | 'isOperator' | 'brandColor' | 'themeId'> & {
	settings: OrgSettings
	/** Operator-set: the domains the org's own sender address may be on (orgs/sender.ts). */
	senderDomains: string[]
	/** Canonical host: a verified primary custom domain, else the default host. */
	host: string
	/** `scheme://host[:port]` from configuration: the OIDC issuer and the base of every link. */
	origin: string
	/** Suspended by an operator: its hosts answer 503 (server/middleware.ts) until it is resumed. */
	suspended: boolean
	/** What end users see: the published branding version, or the legacy colour and theme when none was published. */
	branding: PublishedBranding
}

export type PublishedBranding = {
	/** The published version's number; null before the first publish. */
	version: number | null
	document: BrandingDocument
	/** The version's custom CSS, sanitized and scoped when it was published. */
	css: string
}

type PublishedRow = { number: number; document: unknown; css: string } | null

export type HostConfig = PublicUrlConfig & { baseDomain: string; operatorHost: string }

/**
 * Positive answers are cached briefly; misses are not, so an org created by the CLI while the
 * server runs is served on its next request. Unknown hosts cost one indexed query.
 */
const cache = new LRUCache<string, ResolvedOrg>({ max: 10_000, ttl: 30_000 })
/** Bumped by every forget, so a read that started before a change is never cached after it. */
let generation = 0

export async function resolveOrgByHost(host: string, config: HostConfig): Promise<ResolvedOrg | null> {
	const cached = cache.get(host)
	if (cached) return cached
	const readAt = generation
	const org = await findOrgForHost(host, config)
	if (!org) return null
	const resolved = toResolvedOrg(org, config)
	// A change announced while this read was in flight may not be in it: serve it, don't keep it.
	if (readAt === generation) cache.set(host, resolved)
	return resolved
}

/** What toResolvedOrg needs beside the row: the canonical custom domain and the published branding. */
const include = { domains: { where: { verified: true, primary: true }, take: 1 }, publishedBranding: { select: { number: true, document: true, css: true } } } as const

/** An org as a request on its host would see it, by id, read afresh (for mail sent from another org's console). */
export async function loadResolvedOrg(id: string, config: HostConfig): Promise<ResolvedOrg | null> {
	const org = await db().organization.findUnique({ where: { id }, include })
	return org ? toResolvedOrg(org, config) : null
}

async function findOrgForHost(host: string, config: HostConfig) {
	if (host === config.operatorHost) return db().organization.findFirst({ where: { isOperator: true }, include })
	const slug = slugFromHost(host, config.baseDomain)
	if (slug) {
		const org = await db().organization.findUnique({ where: { slug }, include })
		if (org) return org
	}
	const domain = await db().domain.findUnique({ where: { hostname: host }, include: { organization: { include } } })
	return domain?.verified ? domain.organization : null
}

export function toResolvedOrg(org: Organization & { domains?: { hostname: string }[]; publishedBranding?: PublishedRow }, config: HostConfig): ResolvedOrg {
	const host = org.domains?.[0]?.hostname ?? (org.isOperator ? config.operatorHost : defaultHost(org.slug, config.baseDomain))
	return {
		id: org.id,
		slug: org.slug,
		name: org.name,
		isOperator: org.isOperator,
		brandColor: org.brandColor,
		themeId: org.themeId,
		settings: parseOrgSettings(org.settings, platformDefaults()),
		senderDomains: org.senderDomains ?? [],
		host,
		origin: originFor(host, config),
		suspended: org.suspendedAt !== null,
		branding: publishedBranding(org, org.publishedBranding ?? null),
	}
}

/** The published version as pages read it; an org that never published shows its legacy colour and theme. */
export function publishedBranding(org: Pick<Organization, 'brandColor' | 'themeId'>, row: PublishedRow): PublishedBranding {
	if (!row) return { version: null, document: documentFromLegacy(org), css: '' }
	return { version: row.number, document: readStoredDocument(row.document, org), css: row.css }
}

/** Called when an org changes in this process, so its next request reads it afresh. */
export function forgetOrg(orgId: string) {
	generation++
	for (const [host, org] of cache.entries()) if (org.id === orgId) cache.delete(host)
}

/** After the platform defaults change every org's effective settings may have changed. */
export function forgetAllOrgs() {
	generation++
	cache.clear()
}
