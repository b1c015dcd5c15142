import { config } from '../../utils/config.server'
import { keyedHash, sameDigest } from '../../utils/crypto.server'
import { type PublishedBranding } from '../orgs/resolve.server'
import { type Appearance } from './document'
import { draftAtRevision } from './versions.server'

/**
 * The studio's preview: a real page of the org's host, rendered with the draft instead of the
 * published branding, inside a sandboxed frame of /admin/branding. Rules:
 * - only a preview link opens it: `?foyer-preview=<token>`, minted for an admin who may read the
 *   branding, signed (HMAC with the session secret), for one org and one draft revision, and
 *   good for PREVIEW_MINUTES; end users never see a draft, a stale link shows nothing of it;
 * - a preview request is rendered as a visitor's: its cookies are dropped before anything reads
 *   them (so the sign-in page shows its form to a signed-in admin, and nothing a session opens is
 *   reachable), and it is never cached;
 * - only GET: the frame cannot submit forms, and a POST with a preview link is refused;
 * - only such a response may be framed, and only by the org's own pages (frame-ancestors 'self').
 */
export const PREVIEW_PARAM = 'foyer-preview'
export const PREVIEW_MODE_PARAM = 'foyer-preview-mode'
export const PREVIEW_MINUTES = 10

const PURPOSE = 'branding-preview'

const sign = (payload: string) => keyedHash(payload, config().secrets.sessionSecret, PURPOSE)

export function previewToken(organizationId: string, revision: number, now = Date.now()): string {
	const payload = `${organizationId}.${revision}.${Math.floor(now / 1000) + PREVIEW_MINUTES * 60}`
	return `${Buffer.from(payload).toString('base64url')}.${sign(payload)}`
}

/** The revision a token opens for this org, or null (forged, another org's, expired, malformed). */
export function readPreviewToken(token: string, organizationId: string, now = Date.now()): number | null {
	if (token.length > 300) return null
	const [encoded = '', signature = ''] = token.split('.')
	const payload = Buffer.from(encoded, 'base64url').toString()
	if (!/^[0-9a-f]{64}$/.test(signature) || !sameDigest(sign(payload), signature)) return null
	const [orgId, revision, expires] = payload.split('.')
	if (orgId !== organizationId || !/^\d+$/.test(revision ?? '') || !/^\d+$/.test(expires ?? '')) return null
	return Number(expires) * 1000 >= now ? Number(revision) : null
}

export type PreviewBranding = PublishedBranding & { preview: { token: string; mode: Appearance | null } }

/**
 * The draft's branding for a request carrying a valid preview link, or null. `compileCss` turns the
 * draft's custom CSS into what publishing would store, so the preview shows exactly that.
 */
export async function previewBranding(
	url: URL,
	org: { id: string; brandColor: string; themeId: string },
	compileCss: (source: string) => { css: string },
): Promise<PreviewBranding | null> {
	const token = url.searchParams.get(PREVIEW_PARAM)
	if (!token) return null
	const revision = readPreviewToken(token, org.id)
	if (revision === null) return null
	const document = await draftAtRevision(org, revision)
	if (!document) return null
	const asked = url.searchParams.get(PREVIEW_MODE_PARAM)
	const mode = asked === 'light' || asked === 'dark' ? asked : null
	// A forced mode shows that palette alone, as a visitor whose system prefers it would see it.
	return { version: null, document: mode ? { ...document, appearance: mode } : document, css: compileCss(document.customCss).css, preview: { token, mode } }
}
