import { z } from 'zod'

export const APP_TYPES = ['web', 'spa', 'native', 'm2m'] as const
export type AppType = (typeof APP_TYPES)[number]

export const APP_TYPE_LABELS: Record<AppType, string> = {
	web: 'Web app with a server (confidential: client secret)',
	spa: 'Single-page app (public: PKCE only)',
	native: 'Native or mobile app (public: PKCE only)',
	m2m: 'Machine to machine (client credentials only)',
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Redirect URIs are compared exactly, so they are validated strictly when registered:
 * absolute, no fragment, no userinfo, no wildcard; https except on loopback; native apps may also
 * use a private-use scheme (`com.example.app:/callback`, RFC 8252).
 */
export function redirectUriIssue(value: string, type: AppType): string | null {
	if (value.length > 2000) return 'is longer than 2000 characters'
	if (/[\s\u0000-\u001f*]/.test(value)) return 'may not contain spaces, control characters or wildcards'
	let url: URL
	try {
		url = new URL(value)
	} catch {
		return 'is not an absolute URL'
	}
	if (url.hash || value.includes('#')) return 'may not have a fragment (#)'
	if (url.username || url.password) return 'may not contain a user name or password'
	if (url.protocol === 'https:') return url.hostname ? null : 'needs a host'
	if (url.protocol === 'http:') return LOOPBACK.has(url.hostname) || url.hostname.endsWith('.localhost') ? null : 'must use https (http only for localhost)'
	if (type === 'native' && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return null
	return type === 'native' ? 'must use https, http on localhost, or a reverse-domain scheme like com.example.app:/callback' : 'must use https (http only for localhost)'
}

const uriList = z
	.array(z.string().trim())
	.max(20, 'At most 20 URIs')
	.transform((list) => [...new Set(list.filter((uri) => uri.length > 0))])

export const appInputSchema = z
	.object({
		name: z
			.string({ error: 'Name is required' })
			.trim()
			.min(1, 'Name is required')
			.max(100, 'Name must be at most 100 characters')
			.refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'Name cannot contain control characters'),
		type: z.enum(APP_TYPES, { error: 'Choose web, spa, native or m2m' }),
		redirectUris: uriList.default([]),
		postLogoutRedirectUris: uriList.default([]),
		firstParty: z.boolean().default(false),
	})
	.superRefine((app, ctx) => {
		if (app.type === 'm2m') {
			if (app.redirectUris.length || app.postLogoutRedirectUris.length) ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'Machine-to-machine apps have no redirect URIs' })
			return
		}
		if (app.redirectUris.length === 0) ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'Add at least one redirect URI' })
		for (const [field, list] of [['redirectUris', app.redirectUris], ['postLogoutRedirectUris', app.postLogoutRedirectUris]] as const) {
			for (const uri of list) {
				const issue = redirectUriIssue(uri, app.type)
				if (issue) ctx.addIssue({ code: 'custom', path: [field], message: `${uri.slice(0, 100)} ${issue}` })
			}
		}
	})

export type AppInput = z.input<typeof appInputSchema>
