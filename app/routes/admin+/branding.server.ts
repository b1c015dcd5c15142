import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { z } from 'zod'
import { type RequestContext } from '../../context'
import { compileCustomCss } from '../../modules/branding/custom-css.server'
import { FONT_IDS, RADIUS_IDS } from '../../modules/branding/document'
import { PREVIEW_MODE_PARAM, PREVIEW_PARAM, previewToken } from '../../modules/branding/preview.server'
import { STUDIO_INTENTS, studioFormSchema } from '../../modules/branding/studio-form'
import { contrastReport } from '../../modules/branding/contrast-report'
import { getTheme, listThemes } from '../../modules/branding/theme.server'
import {
	BrandingDocumentError,
	BrandingVersionNotFoundError,
	discardDraft,
	listImages,
	listVersions,
	loadDraft,
	publishDraft,
	restoreVersion,
	saveDraft,
	type DocumentIssue,
} from '../../modules/branding/versions.server'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { readFormData } from '../../utils/forms.server'

/**
 * The HTTP side of /admin/branding: `branding: read` to look, `branding: update` to save, publish,
 * discard or restore. Every change goes through app/modules/branding/versions.server.ts, as the
 * API's and the CLI's do; each ends in a redirect (post/redirect/get), so a reload repeats nothing.
 */

/** The pages the preview shows; each is the org's real page, rendered with the draft. */
export const PREVIEW_PAGES = [
	{ id: 'sign-in', label: 'Sign in', path: '/login' },
	{ id: 'sign-up', label: 'Sign up', path: '/signup' },
	{ id: 'mfa', label: 'Two-step verification', path: '/login/mfa' },
] as const

export const PREVIEW_WIDTHS = { phone: 390, desktop: 1024 } as const
export type PreviewWidth = keyof typeof PREVIEW_WIDTHS

const NOTICES = {
	saved: 'Draft saved. Only admins see it, in the preview below.',
	published: 'Published. The sign-in pages and emails use it from now on.',
	discarded: 'Draft discarded: it is the published branding again.',
	restored: 'Restored. That version is published again, as a new version.',
} as const

export async function loadStudio(request: Request, context: RequestContext) {
	const { permissions } = await requireOrgPermission(request, context, { branding: ['read'] })
	const url = new URL(request.url)
	const [draft, versions, images] = await Promise.all([loadDraft(context.org), listVersions(context.org), listImages(context.org)])
	const width: PreviewWidth = url.searchParams.get('view') === 'phone' ? 'phone' : 'desktop'
	const token = previewToken(context.org.id, draft.revision)
	const preview = (path: string, mode: 'light' | 'dark') => `${path}?${new URLSearchParams({ [PREVIEW_PARAM]: token, [PREVIEW_MODE_PARAM]: mode })}`
	const notice = url.searchParams.get('notice')
	return {
		orgName: context.org.name,
		canUpdate: hasPermission(permissions, { branding: ['update'] }),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null,
		draft,
		contrast: contrastReport(draft.document, getTheme(draft.document.themeId)),
		published: context.org.branding.version,
		versions,
		images,
		themes: listThemes().map((theme) => ({ id: theme.id, name: theme.name })),
		fonts: FONT_IDS,
		radii: RADIUS_IDS,
		width,
		previews: PREVIEW_PAGES.map((page) => ({ ...page, light: preview(page.path, 'light'), dark: preview(page.path, 'dark') })),
	}
}

/** Issues of the document's schema, keyed by field name as the form names its inputs. */
function fieldErrors(issues: DocumentIssue[]) {
	const errors: Record<string, string[]> = {}
	for (const issue of issues) (errors[issue.path || ''] ??= []).push(issue.message)
	return errors
}

const restoreSchema = z.object({ number: z.coerce.number().int().positive() })

export async function changeStudio(request: Request, context: RequestContext) {
	const { user, permissions } = await requireOrgPermission(request, context, { branding: ['read'] })
	assertPermission(permissions, { branding: ['update'] })
	const formData = await readFormData(request)
	const intent = STUDIO_INTENTS.find((candidate) => candidate === formData.get('intent'))
	const audit = { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
	switch (intent) {
		case 'save':
		case 'publish': {
			const submission = parseWithZod(formData, { schema: studioFormSchema })
			if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
			try {
				await saveDraft(context.org, submission.value, audit)
				if (intent === 'publish') await publishDraft(context.org, compileCustomCss, audit)
			} catch (error) {
				if (!(error instanceof BrandingDocumentError)) throw error
				return data({ result: submission.reply({ fieldErrors: fieldErrors(error.issues) }) }, { status: 400 })
			}
			throw redirect(`/admin/branding?notice=${intent === 'publish' ? 'published' : 'saved'}`)
		}
		case 'discard':
			await discardDraft(context.org, audit)
			throw redirect('/admin/branding?notice=discarded')
		case 'restore': {
			const parsed = restoreSchema.safeParse({ number: formData.get('number') })
			if (!parsed.success) throw data('No such version.', { status: 404 })
			try {
				await restoreVersion(context.org, parsed.data.number, audit)
			} catch (error) {
				if (error instanceof BrandingVersionNotFoundError) throw data(error.message, { status: 404 })
				throw error
			}
			throw redirect('/admin/branding?notice=restored')
		}
		default:
			throw data('That action is not available here.', { status: 400 })
	}
}
