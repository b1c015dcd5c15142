import { type z } from 'zod'
import { type RequestContext } from '../../context'
import { type AuthenticatedKey } from '../apikeys/keys.server'
import { compileCustomCss } from '../branding/custom-css.server'
import { BrandingDocumentError, BrandingVersionNotFoundError, getVersion, listVersions, loadDraft, publishDraft, restoreVersion, saveDraft } from '../branding/versions.server'
import { type brandingStateSchema } from './branding-schemas'
import { ApiError } from './errors'

/**
 * Branding through the Management API: the studio's own module (app/modules/branding/versions.server.ts),
 * same checks, same `branding.*` events with the key's id as actor.
 */
type Ctx = Pick<RequestContext, 'org' | 'ip' | 'userAgent'>

const audit = (key: AuthenticatedKey, context: Ctx) => ({ actorId: key.id, ip: context.ip, userAgent: context.userAgent })

async function state(context: Ctx): Promise<z.input<typeof brandingStateSchema>> {
	const draft = await loadDraft(context.org)
	return {
		published: { version: context.org.branding.version, document: context.org.branding.document },
		draft: { revision: draft.revision, updatedAt: draft.updatedAt, unpublishedChanges: draft.unpublishedChanges, document: draft.document },
	}
}

async function withApiErrors<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run()
	} catch (error) {
		if (error instanceof BrandingDocumentError) throw new ApiError('invalid_request', 'The branding is not valid.', error.issues.map((issue) => ({ path: `body.${issue.path}`, message: issue.message })))
		if (error instanceof BrandingVersionNotFoundError) throw new ApiError('not_found', error.message)
		throw error
	}
}

export const getBranding = (context: Ctx) => state(context)

export async function saveBrandingDraftWithKey(key: AuthenticatedKey, context: Ctx, body: unknown) {
	await withApiErrors(() => saveDraft(context.org, body, audit(key, context)))
	return state(context)
}

export const publishBrandingWithKey = (key: AuthenticatedKey, context: Ctx) => withApiErrors(() => publishDraft(context.org, compileCustomCss, audit(key, context)))

export async function listBrandingVersions(context: Ctx) {
	return { data: await listVersions(context.org), nextCursor: null }
}

export const getBrandingVersion = (context: Ctx, number: number) => withApiErrors(() => getVersion(context.org, number))

export const restoreBrandingVersionWithKey = (key: AuthenticatedKey, context: Ctx, number: number) => withApiErrors(() => restoreVersion(context.org, number, audit(key, context)))
