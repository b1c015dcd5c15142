/**
 * Whose address an org's email may come from. Mail leaves through the platform's SMTP relay, so
 * an org's own `emailSenderAddress` must be on a domain an operator allowed for that org
 * (Organization.senderDomains, which only operators set), or be the platform's own sender:
 * otherwise any org admin could send as ceo@bank.example with the platform's reputation.
 *
 * Domains match exactly: allowing acme.example does not allow mail.acme.example (a subdomain may
 * belong to someone else, or be delegated), so each one is listed on its own. Client-safe: the
 * settings form checks with the same rule in the browser.
 */
export const MAX_SENDER_DOMAINS = 20

export type SenderRules = {
	/** The org's allowed domains, lowercase. */
	senderDomains: readonly string[]
	/** What mail comes from when the org's own address is unset or not allowed. */
	platformSender: string
}

/** Labels of letters, digits and inner hyphens; at least two; the last starts with a letter (so no IP address). */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/** `Acme.Example.` → `acme.example`; null for anything that is not a domain name. */
export function normalizeSenderDomain(raw: string): string | null {
	const domain = raw.trim().toLowerCase().replace(/\.$/, '')
	return DOMAIN.test(domain) ? domain : null
}

/**
 * A list as an operator types it (commas, spaces or new lines between domains) into the stored
 * form: normalized, each once, sorted, so the same set is always the same list.
 */
export function parseSenderDomains(input: string | readonly string[]): { ok: true; domains: string[] } | { ok: false; errors: string[] } {
	const words = (typeof input === 'string' ? [input] : input).flatMap((part) => part.split(/[\s,]+/)).filter(Boolean)
	const errors: string[] = []
	const domains = new Set<string>()
	for (const word of words) {
		const domain = normalizeSenderDomain(word)
		if (domain) domains.add(domain)
		else errors.push(`“${word.slice(0, 100)}” is not a domain name (like mail.example.com)`)
	}
	if (domains.size > MAX_SENDER_DOMAINS) errors.push(`At most ${MAX_SENDER_DOMAINS} sender domains`)
	return errors.length ? { ok: false, errors } : { ok: true, domains: [...domains].sort() }
}

function domainOf(address: string) {
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase()
}

/** Null when the org may send from `address`; else why not, for the form field and the CLI. */
export function senderAddressProblem(address: string, rules: SenderRules): string | null {
	if (address.toLowerCase() === rules.platformSender.toLowerCase()) return null
	const domain = domainOf(address)
	if (rules.senderDomains.includes(domain)) return null
	const allowed = rules.senderDomains.length ? `allowed: ${rules.senderDomains.join(', ')}` : 'none is allowed yet'
	return `${domain} is not a sender domain allowed for this organization (${allowed}). Use an address on an allowed domain, or the platform's sender ${rules.platformSender}; only an operator can allow a domain.`
}

/**
 * A sender address is judged when it is set. One stored earlier whose domain an operator has
 * since removed is kept (saving other settings doesn't fail on it) but never used: the mailer
 * judges it again at every message (senderAddressFor).
 */
export function newSenderAddressProblem(stored: string | undefined, next: string | undefined, rules: SenderRules): string | null {
	if (next === undefined || next === stored) return null
	return senderAddressProblem(next, rules)
}

/** The org's own address when it is allowed, else the platform's sender: the From of every message. */
export function effectiveSenderAddress(own: string | undefined, rules: SenderRules): string {
	return own && senderAddressProblem(own, rules) === null ? own : rules.platformSender
}

/** For the settings form: which addresses this org may use. */
export function allowedSendersHint(orgName: string, rules: SenderRules): string {
	return rules.senderDomains.length
		? `Allowed: addresses at ${rules.senderDomains.join(', ')} (those exact domains), or ${rules.platformSender}, the platform's sender. Only an operator can allow other domains.`
		: `No sender domains are allowed for ${orgName} yet: only the platform's sender, ${rules.platformSender}. Ask your operator to allow your domain.`
}
