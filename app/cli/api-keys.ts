import { ApiKeyNotFoundError, ApiKeyStatementError, createApiKey, listApiKeys, revokeApiKey } from '../modules/apikeys/keys.server'
import { splitAllowList, STATEMENT_WORDS } from '../modules/apikeys/schema'
import { findOrgBySlug } from '../modules/orgs/orgs.server'
import { CliError, parseFlags, required, type Output } from './args'

/**
 * `foyer api-keys create|list|revoke`. Whoever runs the CLI holds the server's database, so a
 * key made here may carry any statement; only the operator org's keys may carry `org:*`.
 */
type Command<T> = { parse(args: string[]): T; run(options: T, out: Output): Promise<void> }
const command = <T>(definition: Command<T>) => definition as Command<unknown>

const CREATE = 'foyer api-keys create --org SLUG --name NAME --allow resource:action,... [--json]'
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
			const { values } = parseFlags(args, { org: { type: 'string' }, name: { type: 'string' }, allow: { type: 'string', multiple: true } }, CREATE)
			const allow = (values.allow ?? []).flatMap(splitAllowList)
			if (!allow.length) required(undefined, 'allow', `${CREATE}\n  statements: ${STATEMENT_WORDS.join(', ')}`)
			return { org: required(values.org, 'org', CREATE), name: required(values.name, 'name', CREATE), statements: allow }
		},
		run: async ({ org: slug, name, statements }, out) => {
			const org = await requireOrg(slug)
			try {
				const { key, apiKey } = await createApiKey(org, { name, statements }, { permissions: null, actorId: null })
				out.result({ ...apiKey, key, org: org.slug }, [`Created API key ${apiKey.name} (${apiKey.id}) in ${org.slug}.`, `  statements ${apiKey.statements.join(', ')}`, `  key        ${key}   (shown once)`].join('\n'))
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
			const lines = keys.map((key) => `${key.id}  ${key.prefix}…  ${key.revokedAt ? 'revoked' : 'active '}  ${key.name}  [${key.statements.join(', ')}]`)
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
