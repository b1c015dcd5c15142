import dns, { type LookupAddress, type LookupOptions } from 'node:dns'
import net from 'node:net'

/**
 * A tenant-configurable URL refuses private and loopback targets unless the operator
 * allows them (FOYER_ALLOW_PRIVATE_URLS). Rules:
 * - http and https only; no credentials in the URL (they belong in the Authorization header);
 * - a literal IP is judged when the URL is set and again when it is used;
 * - a hostname is judged by what it resolves to *at connect time* (the lookup below is the one
 *   the socket uses), so DNS that changes between a check and the request cannot slip through;
 * - refused: loopback, RFC 1918 and other private ranges, CGNAT, link-local (cloud metadata),
 *   multicast, reserved, unspecified, IPv6 ULA and link-local, and IPv4-mapped forms of all these.
 */
const blocked = new net.BlockList()
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
] as const) {
	blocked.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
	['::', 128],
	['::1', 128],
	['64:ff9b::', 96],
	['100::', 64],
	['2001:db8::', 32],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
] as const) {
	blocked.addSubnet(network, prefix, 'ipv6')
}

export function isPrivateAddress(address: string): boolean {
	const family = net.isIP(address)
	if (family === 4) return blocked.check(address, 'ipv4')
	if (family !== 6) return true
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
	if (mapped) return blocked.check(mapped[1]!, 'ipv4')
	return blocked.check(address, 'ipv6')
}

/** Why a URL may not be used as an outbound target, or null. */
export function outboundUrlProblem(raw: string, allowPrivate: boolean): string | null {
	if (!URL.canParse(raw)) return 'not a valid URL'
	const url = new URL(raw)
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// or http://'
	if (url.username || url.password) return 'must not contain credentials (use the Authorization header)'
	if (allowPrivate) return null
	const host = url.hostname.replace(/^\[|\]$/g, '')
	if (net.isIP(host) && isPrivateAddress(host)) return 'points to a private or loopback address (set FOYER_ALLOW_PRIVATE_URLS=true to allow)'
	if (host === 'localhost' || host.endsWith('.localhost')) return 'points to localhost (set FOYER_ALLOW_PRIVATE_URLS=true to allow)'
	return null
}

export class PrivateTargetError extends Error {}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** A `lookup` for http.request that refuses to connect to a private address. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback) {
	dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
		if (error) return callback(error, [])
		const allowed = addresses.filter((entry) => !isPrivateAddress(entry.address))
		if (allowed.length === 0) return callback(new PrivateTargetError(`${hostname} resolves only to private addresses`), [])
		if (options.all) return callback(null, allowed)
		return callback(null, allowed[0]!.address, allowed[0]!.family)
	})
}
