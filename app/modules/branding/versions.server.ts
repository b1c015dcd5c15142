import { type Prisma } from '../../generated/prisma/client'
import { announceChange } from '../../utils/changes.server'
import { db, type Tx } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { forgetOrg } from '../orgs/resolve.server'
import { brandingDocumentSchema, documentFromLegacy, readStoredDocument, type AssetRef, type BrandingDocument } from './document'
import { listThemes } from './theme.server'

/**
 * Draft → publish → restore. Rules:
 * - an org has one draft, seen only by its admins (the studio and its preview); saving it changes
 *   nothing end users see, and bumps its revision (a preview link names the revision it shows);
 * - publishing copies the draft into a new numbered version, never changed afterwards, and makes it
 *   the org's published branding; restoring an earlier version publishes a copy of it as the next
 *   number (`restoredFrom`), so the history only grows and every step is in it;
 * - the org's row is locked while a version is numbered, so two publishes get two numbers;
 * - every save, publish and restore writes its audit event in its transaction; publish and restore
 *   drop the cached org here and announce it over pg NOTIFY, so every instance serves the new look
 *   on its next request.
 */

type Org = { id: string; brandColor: string; themeId: string }

export type DocumentIssue = { path: string; message: string }

export class BrandingDocumentError extends Error {
	constructor(readonly issues: DocumentIssue[]) {
		super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '))
	}
}

export class BrandingVersionNotFoundError extends Error {
	constructor(readonly number: number) {
		super(`No branding version ${number} in this organization.`)
	}
}

/** Turns a sanitizer's verdict into what publishing stores; set once the CSS sanitizer is wired in (see css.server.ts). */
export type CustomCssCompiler = (source: string) => { css: string; errors: { line?: number; message: string }[] }

export type Draft = { document: BrandingDocument; revision: number; updatedAt: string | null; published: number | null; unpublishedChanges: boolean }

async function publishedRow(client: Pick<Tx, 'organization'>, organizationId: string) {
	const org = await client.organization.findUnique({ where: { id: organizationId }, select: { publishedBranding: { select: { number: true, document: true } } } })
	return org?.publishedBranding ?? null
}

/** The draft, or (before the first save) what end users see now. */
export async function loadDraft(org: Org): Promise<Draft> {
	const [draft, published] = await Promise.all([db().brandingDraft.findUnique({ where: { organizationId: org.id } }), publishedRow(db(), org.id)])
	const publishedDocument = published ? readStoredDocument(published.document, org) : documentFromLegacy(org)
	const document = draft ? readStoredDocument(draft.document, org) : publishedDocument
	return {
		document,
		revision: draft?.revision ?? 0,
		updatedAt: draft?.updatedAt.toISOString() ?? null,
		published: published?.number ?? null,
		unpublishedChanges: JSON.stringify(document) !== JSON.stringify(publishedDocument),
	}
}

/** The draft at a given revision, for a preview link that names it; null once it moved on. */
export async function draftAtRevision(org: Org, revision: number): Promise<BrandingDocument | null> {
	if (revision === 0) return (await loadDraft(org)).document
	const draft = await db().brandingDraft.findUnique({ where: { organizationId: org.id } })
	return draft && draft.revision === revision ? readStoredDocument(draft.document, org) : null
}

/**
 * Checks a document as the studio, the API and the CLI submit it: the schema's limits, a theme
 * that ships, and images that were uploaded to this org. Returns the parsed document or the issues,
 * each with the field's path (`colors.light.brand`).
 */
export async function checkDocument(org: Org, input: unknown): Promise<{ ok: true; document: BrandingDocument } | { ok: false; issues: DocumentIssue[] }> {
	const parsed = brandingDocumentSchema.safeParse(input)
	if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) }
	const document = parsed.data
	const issues: DocumentIssue[] = []
	if (!listThemes().some((theme) => theme.id === document.themeId)) issues.push({ path: 'themeId', message: 'No such theme' })
	const refs: [string, AssetRef | null][] = [
		['logo.light', document.logo.light],
		['logo.dark', document.logo.dark],
		['icon', document.icon],
	]
	const wanted = refs.filter((entry): entry is [string, AssetRef] => entry[1] !== null)
	if (wanted.length) {
		const found = await db().asset.findMany({ where: { organizationId: org.id, sha256: { in: wanted.map(([, ref]) => ref.sha256) } }, select: { sha256: true, type: true } })
		for (const [path, ref] of wanted) {
			if (!found.some((asset) => asset.sha256 === ref.sha256 && asset.type === ref.type)) issues.push({ path, message: 'Upload the image first' })
		}
	}
	return issues.length ? { ok: false, issues } : { ok: true, document }
}

const changedKeys = (before: BrandingDocument, after: BrandingDocument) =>
	(Object.keys(after) as (keyof BrandingDocument)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))

/** Saves the draft (nothing end users see changes). Throws BrandingDocumentError with every issue. */
export async function saveDraft(org: Org, input: unknown, context: AuditContext = {}): Promise<Draft> {
	const checked = await checkDocument(org, input)
	if (!checked.ok) throw new BrandingDocumentError(checked.issues)
	const before = await loadDraft(org)
	const changed = changedKeys(before.document, checked.document)
	if (changed.length || before.revision === 0) {
		await db().$transaction(async (tx) => {
			const document = checked.document as unknown as Prisma.InputJsonObject
			await tx.brandingDraft.upsert({
				where: { organizationId: org.id },
				create: { organizationId: org.id, document, updatedById: context.actorId ?? null },
				update: { document, revision: { increment: 1 }, updatedById: context.actorId ?? null },
			})
			await recordAuditEvent(tx, { organizationId: org.id, type: 'branding.draft_saved', targetType: 'branding', targetId: org.id, data: { changed }, ...context })
		})
	}
	return loadDraft(org)
}

async function announce(organizationId: string) {
	forgetOrg(organizationId)
	await announceChange({ type: 'org', id: organizationId })
}

/** Locks the org's row and returns the next version number. */
async function nextNumber(tx: Tx, organizationId: string) {
	await tx.$executeRaw`SELECT 1 FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`
	const last = await tx.brandingVersion.findFirst({ where: { organizationId }, orderBy: { number: 'desc' }, select: { number: true } })
	return (last?.number ?? 0) + 1
}

/**
 * Publishes the draft as the next version. The custom CSS is compiled (sanitized and scoped) now,
 * once, and the version keeps the result: pages serve exactly what was published.
 */
export async function publishDraft(org: Org, compileCss: CustomCssCompiler, context: AuditContext = {}): Promise<{ number: number }> {
	const { document } = await loadDraft(org)
	const compiled = compileCss(document.customCss)
	if (compiled.errors.length) throw new BrandingDocumentError(compiled.errors.map((error) => ({ path: 'customCss', message: error.line ? `Line ${error.line}: ${error.message}` : error.message })))
	const number = await db().$transaction(async (tx) => {
		const number = await nextNumber(tx, org.id)
		const version = await tx.brandingVersion.create({
			data: { organizationId: org.id, number, document: document as unknown as Prisma.InputJsonObject, css: compiled.css, publishedById: context.actorId ?? null },
		})
		await tx.organization.update({ where: { id: org.id }, data: { publishedBrandingId: version.id } })
		await recordAuditEvent(tx, { organizationId: org.id, type: 'branding.published', targetType: 'branding', targetId: version.id, data: { number }, ...context })
		return number
	})
	await announce(org.id)
	return { number }
}

/** Publishes a copy of an earlier version as the next one (rollback), and makes it the draft too. */
export async function restoreVersion(org: Org, from: number, context: AuditContext = {}): Promise<{ number: number }> {
	const number = await db().$transaction(async (tx) => {
		const source = await tx.brandingVersion.findUnique({ where: { organizationId_number: { organizationId: org.id, number: from } } })
		if (!source) throw new BrandingVersionNotFoundError(from)
		const number = await nextNumber(tx, org.id)
		const document = source.document as Prisma.InputJsonObject
		const version = await tx.brandingVersion.create({ data: { organizationId: org.id, number, document, css: source.css, publishedById: context.actorId ?? null, restoredFrom: from } })
		await tx.organization.update({ where: { id: org.id }, data: { publishedBrandingId: version.id } })
		await tx.brandingDraft.upsert({
			where: { organizationId: org.id },
			create: { organizationId: org.id, document, updatedById: context.actorId ?? null },
			update: { document, revision: { increment: 1 }, updatedById: context.actorId ?? null },
		})
		await recordAuditEvent(tx, { organizationId: org.id, type: 'branding.restored', targetType: 'branding', targetId: version.id, data: { number, from }, ...context })
		return number
	})
	await announce(org.id)
	return { number }
}

/** Throws the draft away: it becomes what end users see now. */
export async function discardDraft(org: Org, context: AuditContext = {}): Promise<Draft> {
	const published = await publishedRow(db(), org.id)
	const document = (published ? readStoredDocument(published.document, org) : documentFromLegacy(org)) as unknown as Prisma.InputJsonObject
	await db().$transaction(async (tx) => {
		const { count } = await tx.brandingDraft.updateMany({ where: { organizationId: org.id }, data: { document, revision: { increment: 1 }, updatedById: context.actorId ?? null } })
		if (count) await recordAuditEvent(tx, { organizationId: org.id, type: 'branding.draft_discarded', targetType: 'branding', targetId: org.id, ...context })
	})
	return loadDraft(org)
}

export type VersionListing = { number: number; publishedAt: string; publishedBy: string | null; restoredFrom: number | null; current: boolean }

/** Every published version, newest first, with who published it. */
export async function listVersions(org: Org, limit = 100): Promise<VersionListing[]> {
	const [versions, current] = await Promise.all([
		db().brandingVersion.findMany({ where: { organizationId: org.id }, orderBy: { number: 'desc' }, take: limit, select: { number: true, publishedAt: true, publishedById: true, restoredFrom: true } }),
		publishedRow(db(), org.id),
	])
	const ids = versions.flatMap((version) => (version.publishedById ? [version.publishedById] : []))
	const [people, keys] = await Promise.all([
		db().user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }),
		db().apiKey.findMany({ where: { id: { in: ids }, organizationId: org.id }, select: { id: true, name: true } }),
	])
	const email = new Map([...people.map((person) => [person.id, person.email] as const), ...keys.map((key) => [key.id, `API key “${key.name}”`] as const)])
	return versions.map((version) => ({
		number: version.number,
		publishedAt: version.publishedAt.toISOString(),
		publishedBy: version.publishedById ? (email.get(version.publishedById) ?? 'a removed user or key') : null,
		restoredFrom: version.restoredFrom,
		current: version.number === current?.number,
	}))
}

/** One version's document (the API's and the CLI's `show`). */
export async function getVersion(org: Org, number: number): Promise<{ number: number; document: BrandingDocument; publishedAt: string; restoredFrom: number | null }> {
	const version = await db().brandingVersion.findUnique({ where: { organizationId_number: { organizationId: org.id, number } } })
	if (!version) throw new BrandingVersionNotFoundError(number)
	return { number: version.number, document: readStoredDocument(version.document, org), publishedAt: version.publishedAt.toISOString(), restoredFrom: version.restoredFrom }
}

export type LibraryImage = { value: string; sha256: string; type: string; size: number; uploadedAt: string }

/** The org's uploaded images, newest first, for the studio's pickers. */
export async function listImages(org: Org, limit = 50): Promise<LibraryImage[]> {
	const rows = await db().asset.findMany({ where: { organizationId: org.id }, orderBy: { createdAt: 'desc' }, take: limit, select: { sha256: true, type: true, size: true, createdAt: true } })
	return rows.map((row) => ({ value: `${row.sha256}.${row.type}`, sha256: row.sha256, type: row.type, size: row.size, uploadedAt: row.createdAt.toISOString() }))
}
