/**
 * Host names and origins. Rules:
 * - the port never selects an org: `acme.localhost:3000` and `acme.localhost` are one host;
 * - every org has a default host `<slug>.<baseDomain>`; the operator org is also served on the
 *   operator host;
 * - public origins come from configuration, never from request headers.
 */

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

/** Lowercases a Host header value and drops its port. Returns null for anything that is not a DNS name. */
export function normalizeHost(header: string | undefined | null): string | null {
	if (!header || header.length > 260) return null
	let host = header.trim().toLowerCase()
	if (host.startsWith('[')) return null // IP literals are never an org host
	const colon = host.lastIndexOf(':')
	if (colon !== -1) {
		if (!/^\d{1,5}$/.test(host.slice(colon + 1))) return null
		host = host.slice(0, colon)
	}
	if (host.endsWith('.')) host = host.slice(0, -1)
	if (host.length === 0 || host.length > 253) return null
	return host.split('.').every((label) => HOST_LABEL.test(label)) ? host : null
}

export function defaultHost(slug: string, baseDomain: string): string {
	return `${slug}.${baseDomain}`
}

/** The slug a host names under the base domain (`acme.localhost` → `acme`), or null. */
export function slugFromHost(host: string, baseDomain: string): string | null {
	const suffix = `.${baseDomain}`
	if (!host.endsWith(suffix)) return null
	const slug = host.slice(0, -suffix.length)
	return HOST_LABEL.test(slug) ? slug : null
}

export type PublicUrlConfig = { scheme: 'http' | 'https'; port: number }

export function originFor(host: string, { scheme, port }: PublicUrlConfig): string {
	const defaultPort = scheme === 'https' ? 443 : 80
	return `${scheme}://${host}${port === defaultPort ? '' : `:${port}`}`
}
