import { type NextFunction, type Request, type Response } from 'express'
import { PREVIEW_PARAM, previewBranding } from '../modules/branding/preview.server'
import { type ResolvedOrg } from '../modules/orgs/resolve.server'
import { page } from './pages'

/** Whether a request names a preview link at all; only such responses may be framed (by the org's own pages). */
export function asksForPreview(req: Request) {
	return typeof req.query[PREVIEW_PARAM] === 'string'
}

const expiredPage = page('Preview expired', 'This preview link has expired or shows an older draft. Reload the branding page to see the draft again.')

/**
 * The branding studio's preview (modules/branding/preview.server.ts): a request with a valid
 * preview link is served as a visitor's (its cookies dropped before anything reads them), with
 * the draft in place of the published branding, never cached. The swap happens here, once, so
 * every page, error page and stylesheet of the host renders the draft the same way.
 */
export function brandingPreview(compileCss: (source: string) => { css: string }) {
	return async (req: Request, res: Response, next: NextFunction) => {
		if (!asksForPreview(req)) return next()
		try {
			res.setHeader('Cache-Control', 'no-store')
			res.setHeader('X-Robots-Tag', 'noindex')
			if (req.method !== 'GET' && req.method !== 'HEAD') return res.status(405).type('html').send(page('Preview only', 'A preview shows pages; it does not submit them.'))
			const org = res.locals.org as ResolvedOrg
			const branding = await previewBranding(new URL(req.originalUrl, 'http://preview.invalid'), org, compileCss)
			if (!branding) return res.status(404).type('html').send(expiredPage)
			delete req.headers.cookie
			res.locals.org = { ...org, branding } satisfies ResolvedOrg
			res.locals.preview = true
			next()
		} catch (error) {
			next(error)
		}
	}
}
