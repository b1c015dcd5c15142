import { z } from 'zod'
import { brandingDocumentSchema } from '../branding/document'

/** The branding endpoints' shapes; the document itself is the studio's own schema (branding/document.ts). */
const timestamp = z.iso.datetime()

export const brandingStateSchema = z.object({
	published: z.object({ version: z.number().int().nullable(), document: brandingDocumentSchema }),
	draft: z.object({ revision: z.number().int(), updatedAt: timestamp.nullable(), unpublishedChanges: z.boolean(), document: brandingDocumentSchema }),
})

export const brandingVersionSchema = z.object({
	number: z.number().int(),
	publishedAt: timestamp,
	publishedBy: z.string().nullable(),
	restoredFrom: z.number().int().nullable(),
	current: z.boolean(),
})

export const brandingVersionDetailSchema = z.object({ number: z.number().int(), publishedAt: timestamp, restoredFrom: z.number().int().nullable(), document: brandingDocumentSchema })

export const brandingPublishedSchema = z.object({ number: z.number().int() })

export const brandingVersionParams = z.object({ number: z.coerce.number({ error: 'number must be a version number' }).int().positive() })
