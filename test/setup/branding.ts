import { randomUUID } from 'node:crypto'
import { brandingDocumentSchema, type BrandingDocument, type BrandingInput } from '../../app/modules/branding/document'

type Sql = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>

/**
 * Publishes a branding version for `slug` the way the studio's publish will leave the database:
 * a numbered BrandingVersion row (the document as the schema parses it, and the already-sanitized
 * custom CSS) that Organization.publishedBrandingId points at, then the org-change announcement
 * every server listens for (the same pg_notify as utils/changes.server.ts announceChange), so
 * running servers drop the org from their cache at once. Returns the version number.
 */
export async function publishBranding(sql: Sql, slug: string, input: BrandingInput, css = ''): Promise<{ version: number; document: BrandingDocument; orgId: string }> {
	const document = brandingDocumentSchema.parse(input)
	const [row] = await sql(
		`WITH org AS (SELECT id FROM "Organization" WHERE slug = $1),
		 version AS (
		   INSERT INTO "BrandingVersion" (id, "organizationId", number, document, css)
		   SELECT $2, org.id, COALESCE((SELECT max(number) FROM "BrandingVersion" WHERE "organizationId" = org.id), 0) + 1, $3::jsonb, $4 FROM org
		   RETURNING id, "organizationId", number)
		 UPDATE "Organization" o SET "publishedBrandingId" = version.id FROM version WHERE o.id = version."organizationId"
		 RETURNING version.number AS number, o.id AS "orgId"`,
		[slug, randomUUID(), JSON.stringify(document), css],
	)
	if (!row) throw new Error(`no organization with slug ${slug}`)
	await sql(`SELECT pg_notify('foyer_changes', $1)`, [JSON.stringify({ type: 'org', id: row.orgId })])
	return { version: Number(row.number), document, orgId: String(row.orgId) }
}
