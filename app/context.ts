import type * as express from 'express'
import { type ResolvedOrg } from './modules/orgs/resolve.server'

/** What Express hands every loader and action (see server/app.ts). */
export type RequestContext = {
	org: ResolvedOrg
	requestId: string
	/** Client IP: the socket's, or X-Forwarded-For's when TRUST_PROXY is set. */
	ip: string
	userAgent: string | null
	/** Served over HTTPS (directly or, with TRUST_PROXY, behind a TLS-terminating proxy). */
	secure: boolean
	cspNonce: string
	/** A branding-studio preview (server/branding-preview.ts): the draft's look, rendered as for a visitor, read-only. */
	preview: boolean
	/** The raw Express request and response, for oidc-provider's interaction API only. */
	req: express.Request
	res: express.Response
}

declare module '@remix-run/node' {
	// eslint-disable-next-line @typescript-eslint/no-empty-object-type
	interface AppLoadContext extends RequestContext {}
}

declare module '@remix-run/node' {
	interface Future {
		v3_singleFetch: true
	}
}
