import { ApiKeyNotFoundError, ApiKeyStatementError, createApiKey, listApiKeys, revokeApiKey } from '../modules/apikeys/keys.server'
import { API_KEY_EXPIRY_CHOICES, apiKeyExpirySchema, DEFAULT_API_KEY_EXPIRY, splitAllowList, STATEMENT_WORDS } from '../modules/apikeys/schema'
import { API_KEY_STATUS_LABELS } from '../modules/apikeys/standing'
import { findOrgBySlug } from '../modules/orgs/orgs.server'
import { CliError, parseFlags, required, UsageError, type Output } from './args'

/**
 * `foyer api-keys create|list|revoke`. Whoever runs the CLI holds the server's database, so a
 * key made here is the server operator's: bound to no user, it may carry any statement and keeps
 * them (a console user's key holds at most what its creator holds at each use). Only the operator
 * org's keys may carry `org:*`.
 */
type Command<T> = { parse(args: string[]): T; run(options: T, out: Output): Promise<void> }
const command = <T>(definition: Command<T>) => definition as Command<unknown>

const CREATE = `foyer api-keys create --org SLUG --name NAME --allow resource:action,... [--expires ${API_KEY_EXPIRY_CHOICES.join('|')}] [--json]   (days; default ${DEFAULT_API_KEY_EXPIRY})`
const LIST = 'foyer api-keys list --org SLUG [--json]'
const REVOKE = 'foyer api-keys revoke --org SLUG --id ID [--json]'

async function requireOrg(slug: string) {
	const org = await findOrgBySlug(slug.trim().toLowerCase())
	if (!org) throw new CliError(`no organization with slug "${slug}" (foyer orgs list shows them)`)
	return org
}

export const apiKeyCommands: Record<string, Command<unknown>> = {
	'api-keys create': command({
		parse: (args) => {
			const { values } = parseFlags(args, { org: { type: 'string' }, name: { type: 'string' }, allow: { type: 'string', multiple: true }, expires: { type: 'string' } }, CREATE)
			const allow = (values.allow ?? []).flatMap(splitAllowList)
			if (!allow.length) required(undefined, 'allow', `${CREATE}\n  statements: ${STATEMENT_WORDS.join(', ')}`)
			const expiresIn = apiKeyExpirySchema.safeParse(values.expires ?? DEFAULT_API_KEY_EXPIRY)
			if (!expiresIn.success) throw new UsageError(`--expires must be one of ${API_KEY_EXPIRY_CHOICES.join(', ')} (days, or never)\nusage: ${CREATE}`)
			return { org: required(values.org, 'org', CREATE), name: required(values.name, 'name', CREATE), statements: allow, expiresIn: expiresIn.data }
		},
		run: async ({ org: slug, name, statements, expiresIn }, out) => {
			const org = await requireOrg(slug)
			try {
				const { key, apiKey } = await createApiKey(org, { name, statements, expiresIn }, { kind: 'cli' }, { actorId: null })
				out.result(
					{ ...apiKey, key, org: org.slug },
					[`Created API key ${apiKey.name} (${apiKey.id}) in ${org.slug}.`, `  statements ${apiKey.statements.join(', ')}`, `  expires    ${apiKey.expiresAt ?? 'never'}`, `  key        ${key}   (shown once)`].join('\n'),
				)
			} catch (error) {
				if (error instanceof ApiKeyStatementError) throw new CliError(error.message)
				throw error
			}
		},
	}),

	'api-keys list': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, LIST).values.org, 'org', LIST) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const keys = await listApiKeys(org.id)
			const lines = keys.map((key) => {
				const creator = key.createdBy.kind === 'cli' ? 'by the CLI' : `by ${key.createdBy.email ?? 'a deleted user'}`
				const expiry = key.expiresAt ? `expires ${key.expiresAt.slice(0, 10)}` : 'never expires'
				return `${key.id}  ${key.prefix}…  ${API_KEY_STATUS_LABELS[key.status].padEnd(16)}  ${key.name}  [${key.statements.join(', ')}]  ${expiry}  ${creator}`
			})
			out.result({ org: org.slug, apiKeys: keys }, lines.join('\n') || 'No API keys.')
		},
	}),

	'api-keys revoke': command({
		parse: (args) => {
			const { values } = parseFlags(args, { org: { type: 'string' }, id: { type: 'string' } }, REVOKE)
			return { org: required(values.org, 'org', REVOKE), id: required(values.id, 'id', REVOKE) }
		},
		run: async ({ org: slug, id }, out) => {
			const org = await requireOrg(slug)
			try {
				const key = await revokeApiKey(org.id, id, { actorId: null })
				out.result({ ok: true, ...key }, `Revoked ${key.name} (${key.id}); requests with it now get 401.`)
			} catch (error) {
				if (error instanceof ApiKeyNotFoundError) throw new CliError(`no API key with id ${id} in ${org.slug}`)
				throw error
			}
		},
	}),
}
