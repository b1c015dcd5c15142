import { AppNotFoundError, createApp, deleteApp, listApps } from '../modules/apps/apps.server'
import { APP_TYPES, type AppType } from '../modules/apps/schema'
import { verifyAuditChain } from '../modules/audit/audit.server'
import { clearSmsGateway, getSmsGateway, setSmsGateway, SmsGatewayError, type SmsGatewayView } from '../modules/mfa/sms/gateway-config.server'
import { rotateSigningKey } from '../modules/oidc/keys.server'
import { announceChange } from '../utils/changes.server'
import { defaultHost, originFor } from '../modules/orgs/hosts'
import { createOrg, findOrgBySlug, listOrgs, OrgSlugTakenError } from '../modules/orgs/orgs.server'
import { forgetOrg } from '../modules/orgs/resolve.server'
import { ORG_SETTING_KEYS, parseOrgSettings, parseSettingAssignments, type SettingChanges } from '../modules/orgs/settings'
import { loadPlatformDefaults, SettingsError, updateOrgSettings, updatePlatformDefaults } from '../modules/orgs/settings.server'
import { senderAddressFor, SenderDomainsError, setSenderDomains } from '../modules/orgs/sender-domains.server'
import { operatorOrgId } from '../modules/orgs/directory.server'
import { emailSchema } from '../modules/users/email'
import { createUser, EmailTakenError } from '../modules/users/users.server'
import { config } from '../utils/config.server'
import { generatePassword } from '../utils/crypto.server'
import { dataDir } from '../utils/paths.server'
import { readServerInfo } from '../utils/server-info.server'
import { parseArgs } from 'node:util'
import { apiKeyCommands } from './api-keys'
import { brandingCommands } from './branding'
import { CliError, parseFlags, required, UsageError, type Output } from './args'

type Command<T> = { parse(args: string[]): T; run(options: T, out: Output): Promise<void> }

const command = <T>(definition: Command<T>) => definition as Command<unknown>

function orgUrl(slug: string, isOperator: boolean) {
	const { env } = config()
	const host = isOperator ? env.FOYER_OPERATOR_HOST : defaultHost(slug, env.FOYER_BASE_DOMAIN)
	// Without a configured port, the port of the server running on this data dir, if any.
	const configured = process.env['PORT'] || process.env['FOYER_PUBLIC_PORT'] || env.FOYER_PUBLIC_SCHEME === 'https'
	const port = configured ? env.publicPort : (readServerInfo(dataDir())?.port ?? env.publicPort)
	return originFor(host, { scheme: env.FOYER_PUBLIC_SCHEME, port })
}

async function requireOrg(slug: string) {
	const org = await findOrgBySlug(slug.trim().toLowerCase())
	if (!org) throw new CliError(`no organization with slug "${slug}" (foyer orgs list shows them)`)
	return org
}

const ORGS_CREATE = 'foyer orgs create --name NAME --slug SLUG [--color HEX] [--theme ID] [--json]'
const USERS_CREATE = 'foyer users create --org SLUG --email EMAIL [--admin] [--json]'
const AUDIT_VERIFY = 'foyer audit verify --org SLUG [--json]'
const APPS_CREATE = 'foyer apps create --org SLUG --name NAME --type web|spa|native|m2m [--redirect-uri URI]... [--post-logout-redirect-uri URI]... [--first-party] [--json]'
const APPS_LIST = 'foyer apps list --org SLUG [--json]'
const APPS_DELETE = 'foyer apps delete --org SLUG --client-id ID [--json]'
const KEYS_ROTATE = 'foyer keys rotate --org SLUG [--json]'
const ORGS_SET = `foyer orgs set --org SLUG key=value... [--json]   (key= resets a key to the default; keys: ${ORG_SETTING_KEYS.join(', ')})`
const ORGS_SETTINGS = 'foyer orgs settings --org SLUG [--json]'
const ORGS_SHOW_SENDER_DOMAINS = 'foyer orgs sender-domains --org SLUG [--json]'
const ORGS_SENDER_DOMAINS = "foyer orgs set-sender-domains --org SLUG DOMAIN... | --none [--json]   (the domains the org's emailSenderAddress may be on; replaces the list)"
const DEFAULTS_SET = `foyer defaults set key=value... [--json]   (the operator's defaults for every org; same keys as orgs set)`
const SMS_SET = 'foyer sms set --org SLUG --url URL [--auth-header VALUE|-] [--body-template TEXT] [--content-type TYPE] [--json]'
const SMS_SHOW = 'foyer sms show --org SLUG [--json]'
const SMS_CLEAR = 'foyer sms clear --org SLUG [--json]'

/** The auth header is write-only: shown as set or not, never its value. */
function describeSmsGateway(slug: string, gateway: SmsGatewayView | null) {
	if (!gateway) return `${slug} has no SMS gateway: texts go to the dev outbox (/operator/outbox).`
	return [`SMS gateway of ${slug}:`, `  url           ${gateway.url}`, `  auth header   ${gateway.hasAuthHeader ? '(set)' : '(none)'}`, `  content type  ${gateway.contentType}`, `  body template ${gateway.bodyTemplate}`].join('\n')
}

/** `key=value` words plus `--org`/`--json`: parseArgs with positionals, then the settings parser. */
function parseAssignments(args: string[], usage: string, withOrg: boolean): { org: string; changes: SettingChanges } {
	const { values, positionals } = (() => {
		try {
			return parseArgs({ args, options: { org: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true })
		} catch (error) {
			throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}`)
		}
	})()
	const org = withOrg ? required(values.org, 'org', usage) : ''
	if (positionals.length === 0) throw new UsageError(`nothing to set\nusage: ${usage}`)
	const parsed = parseSettingAssignments(positionals)
	if (!parsed.ok) throw new UsageError(`${parsed.errors.join('\n')}\nusage: ${usage}`)
	return { org, changes: parsed.changes }
}

function describeChanges(changed: Record<string, { from: unknown; to: unknown }>) {
	const lines = Object.entries(changed).map(([key, { from, to }]) => `  ${key}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`)
	return lines.length ? lines.join('\n') : '  (no change)'
}

export const commands: Record<string, Command<unknown>> = {
	'orgs set': command({
		parse: (args) => parseAssignments(args, ORGS_SET, true),
		run: async ({ org: slug, changes }, out) => {
			const org = await requireOrg(slug)
			try {
				const { settings, changed } = await updateOrgSettings(org.id, changes, { actorId: null })
				out.result({ org: org.slug, settings, changed }, `Settings of ${org.slug}:\n${describeChanges(changed)}`)
			} catch (error) {
				if (error instanceof SettingsError) throw new UsageError(`${error.errors.join('\n')}\nusage: ${ORGS_SET}`)
				throw error
			}
		},
	}),

	'orgs settings': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, ORGS_SETTINGS).values.org, 'org', ORGS_SETTINGS) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const settings = parseOrgSettings(org.settings, await loadPlatformDefaults())
			out.result({ org: org.slug, settings }, Object.entries(settings).map(([key, value]) => `${key.padEnd(26)} ${JSON.stringify(value)}`).join('\n'))
		},
	}),

	'orgs sender-domains': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, ORGS_SHOW_SENDER_DOMAINS).values.org, 'org', ORGS_SHOW_SENDER_DOMAINS) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const settings = parseOrgSettings(org.settings, await loadPlatformDefaults())
			const senderAddress = senderAddressFor({ settings, senderDomains: org.senderDomains })
			const listed = org.senderDomains.length ? org.senderDomains.join(', ') : 'none'
			out.result({ org: org.slug, senderDomains: org.senderDomains, senderAddress }, `Sender domains of ${org.slug}: ${listed}\nEmail is sent from ${senderAddress}`)
		},
	}),

	'orgs set-sender-domains': command({
		parse: (args) => {
			const { values, positionals } = (() => {
				try {
					return parseArgs({ args, options: { org: { type: 'string' }, none: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true })
				} catch (error) {
					throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nusage: ${ORGS_SENDER_DOMAINS}`)
				}
			})()
			// Clearing the list is said out loud: a forgotten argument must not remove every domain.
			if (values.none ? positionals.length > 0 : positionals.length === 0) throw new UsageError(`give the domains, or --none to allow none\nusage: ${ORGS_SENDER_DOMAINS}`)
			return { org: required(values.org, 'org', ORGS_SENDER_DOMAINS), domains: values.none ? [] : positionals }
		},
		run: async ({ org: slug, domains }, out) => {
			const org = await requireOrg(slug)
			try {
				const { senderDomains, changed } = await setSenderDomains(org.id, domains, { operatorOrgId: await operatorOrgId(), actorId: null })
				const listed = senderDomains.length ? senderDomains.join(', ') : 'none (email goes from the platform sender)'
				out.result({ org: org.slug, senderDomains, changed }, `Sender domains of ${org.slug}: ${listed}${changed ? '' : ' (no change)'}`)
			} catch (error) {
				if (error instanceof SenderDomainsError) throw new CliError(error.errors.join('\n'))
				throw error
			}
		},
	}),

	'defaults set': command({
		parse: (args) => parseAssignments(args, DEFAULTS_SET, false),
		run: async ({ changes }, out) => {
			const operator = (await listOrgs()).find((org) => org.isOperator)
			if (!operator) throw new CliError('no operator organization yet: start the server once')
			try {
				const { defaults, changed } = await updatePlatformDefaults(changes, { operatorOrgId: operator.id, actorId: null })
				out.result({ defaults, changed }, `Defaults for every org:\n${describeChanges(changed)}`)
			} catch (error) {
				if (error instanceof SettingsError) throw new UsageError(`${error.errors.join('\n')}\nusage: ${DEFAULTS_SET}`)
				throw error
			}
		},
	}),

	'orgs create': command({
		parse: (args) => {
			const { values } = parseFlags(args, { name: { type: 'string' }, slug: { type: 'string' }, color: { type: 'string' }, theme: { type: 'string' } }, ORGS_CREATE)
			return { name: required(values.name, 'name', ORGS_CREATE), slug: required(values.slug, 'slug', ORGS_CREATE), color: values.color, theme: values.theme }
		},
		run: async ({ name, slug, color, theme }, out) => {
			try {
				const org = await createOrg({ name, slug, brandColor: color, themeId: theme }, { actorId: null })
				forgetOrg(org.id)
				const url = orgUrl(org.slug, org.isOperator)
				out.result(
					{ id: org.id, slug: org.slug, name: org.name, brandColor: org.brandColor, themeId: org.themeId, url },
					`Created ${org.name} (${org.slug}): ${url}/login`,
				)
			} catch (error) {
				if (error instanceof OrgSlugTakenError) throw new CliError(error.message)
				throw error
			}
		},
	}),

	'orgs list': command({
		parse: (args) => parseFlags(args, {}, 'foyer orgs list [--json]').values,
		run: async (_options, out) => {
			const orgs = (await listOrgs()).map((org) => ({ id: org.id, slug: org.slug, name: org.name, isOperator: org.isOperator, url: orgUrl(org.slug, org.isOperator) }))
			out.result({ orgs }, orgs.map((org) => `${org.slug.padEnd(20)} ${org.name.padEnd(24)} ${org.url}`).join('\n') || 'No organizations.')
		},
	}),

	'users create': command({
		parse: (args) => {
			const { values } = parseFlags(args, { org: { type: 'string' }, email: { type: 'string' }, admin: { type: 'boolean' } }, USERS_CREATE)
			return { org: required(values.org, 'org', USERS_CREATE), email: required(values.email, 'email', USERS_CREATE), admin: values.admin ?? false }
		},
		run: async ({ org: slug, email: rawEmail, admin }, out) => {
			const org = await requireOrg(slug)
			const email = emailSchema.safeParse(rawEmail)
			if (!email.success) throw new CliError(email.error.issues[0]?.message ?? 'invalid email')
			// Generated, never taken from argv: command lines end up in shell history and `ps`.
			const password = generatePassword()
			try {
				const user = await createUser({ organizationId: org.id, email: email.data, password, role: admin ? 'admin' : 'member' }, { actorId: null })
				out.result(
					{ id: user.id, email: user.email, role: user.role, org: org.slug, password },
					`Created ${user.email} (${user.role}) in ${org.slug}. Password (shown once): ${password}`,
				)
			} catch (error) {
				if (error instanceof EmailTakenError) throw new CliError(`${email.data} already has an account in ${org.slug}`)
				throw error
			}
		},
	}),

	'audit verify': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, AUDIT_VERIFY).values.org, 'org', AUDIT_VERIFY) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const result = await verifyAuditChain(org.id)
			if (!result.ok) {
				throw new CliError(`audit chain of ${org.slug} is broken at event #${result.brokenAt.seq}: ${result.reason}`, { ...result })
			}
			out.result(result, `Audit chain of ${org.slug} is intact: ${result.events} events.`)
		},
	}),

	'apps create': command({
		parse: (args) => {
			const { values } = parseFlags(
				args,
				{
					org: { type: 'string' },
					name: { type: 'string' },
					type: { type: 'string' },
					'redirect-uri': { type: 'string', multiple: true },
					'post-logout-redirect-uri': { type: 'string', multiple: true },
					'first-party': { type: 'boolean' },
				},
				APPS_CREATE,
			)
			const type = required(values.type, 'type', APPS_CREATE)
			if (!(APP_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be one of ${APP_TYPES.join(', ')}\nusage: ${APPS_CREATE}`)
			return {
				org: required(values.org, 'org', APPS_CREATE),
				name: required(values.name, 'name', APPS_CREATE),
				type: type as AppType,
				redirectUris: values['redirect-uri'] ?? [],
				postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
				firstParty: values['first-party'] ?? false,
			}
		},
		run: async ({ org: slug, ...input }, out) => {
			const org = await requireOrg(slug)
			const { app, clientSecret } = await createApp(org.id, input, { actorId: null })
			const issuer = orgUrl(org.slug, org.isOperator)
			out.result(
				{ clientId: app.clientId, ...(clientSecret ? { clientSecret } : {}), issuer, name: app.name, type: app.type, redirectUris: app.redirectUris, postLogoutRedirectUris: app.postLogoutRedirectUris, firstParty: app.firstParty },
				[`Created ${app.name} (${app.type}) in ${org.slug}.`, `  issuer        ${issuer}`, `  client id     ${app.clientId}`, ...(clientSecret ? [`  client secret ${clientSecret}   (shown once)`] : [])].join('\n'),
			)
		},
	}),

	'apps list': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, APPS_LIST).values.org, 'org', APPS_LIST) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const apps = (await listApps(org.id)).map((app) => ({ clientId: app.clientId, name: app.name, type: app.type, redirectUris: app.redirectUris, postLogoutRedirectUris: app.postLogoutRedirectUris, firstParty: app.firstParty }))
			out.result({ apps }, apps.map((app) => `${app.clientId}  ${app.type.padEnd(6)} ${app.name}`).join('\n') || 'No apps.')
		},
	}),

	'apps delete': command({
		parse: (args) => {
			const { values } = parseFlags(args, { org: { type: 'string' }, 'client-id': { type: 'string' } }, APPS_DELETE)
			return { org: required(values.org, 'org', APPS_DELETE), clientId: required(values['client-id'], 'client-id', APPS_DELETE) }
		},
		run: async ({ org: slug, clientId }, out) => {
			const org = await requireOrg(slug)
			try {
				await deleteApp(org.id, clientId, { actorId: null })
			} catch (error) {
				if (error instanceof AppNotFoundError) throw new CliError(`no app with client id ${clientId} in ${org.slug}`)
				throw error
			}
			out.result({ ok: true, clientId }, `Deleted ${clientId}; its tokens and grants are revoked.`)
		},
	}),

	'keys rotate': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, KEYS_ROTATE).values.org, 'org', KEYS_ROTATE) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const key = await rotateSigningKey(org.id, { actorId: null })
			// A running server drops its cached provider and publishes the new key at once.
			await announceChange({ type: 'org', id: org.id })
			out.result({ ok: true, kid: key.id }, `New signing key ${key.id} for ${org.slug}; the previous key stays published for verification.`)
		},
	}),

	'sms set': command({
		parse: (args) => {
			const { values } = parseFlags(args, { org: { type: 'string' }, url: { type: 'string' }, 'auth-header': { type: 'string' }, 'body-template': { type: 'string' }, 'content-type': { type: 'string' } }, SMS_SET)
			return {
				org: required(values.org, 'org', SMS_SET),
				url: required(values.url, 'url', SMS_SET),
				authHeader: values['auth-header'],
				bodyTemplate: values['body-template'],
				contentType: values['content-type'],
			}
		},
		run: async ({ org: slug, ...input }, out) => {
			const org = await requireOrg(slug)
			// `--auth-header -` reads the value from standard input, so the secret stays out of shell history.
			if (input.authHeader === '-') input.authHeader = await firstLineOfStdin('--auth-header -')
			try {
				const gateway = await setSmsGateway(org.id, input, { actorId: null })
				out.result({ ok: true, org: org.slug, smsProvider: gateway }, describeSmsGateway(org.slug, gateway))
			} catch (error) {
				if (error instanceof SmsGatewayError) throw new CliError(error.message)
				throw error
			}
		},
	}),

	'sms show': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, SMS_SHOW).values.org, 'org', SMS_SHOW) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const gateway = await getSmsGateway(org.id)
			out.result({ org: org.slug, smsProvider: gateway }, describeSmsGateway(org.slug, gateway))
		},
	}),

	'sms clear': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, SMS_CLEAR).values.org, 'org', SMS_CLEAR) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const cleared = await clearSmsGateway(org.id, { actorId: null })
			out.result({ ok: true, org: org.slug, cleared }, cleared ? `Removed the SMS gateway of ${org.slug}: texts go to the dev outbox.` : `${org.slug} had no SMS gateway.`)
		},
	}),

	...apiKeyCommands,
	...brandingCommands,

	'db migrate': command({
		// boot() has applied every pending migration by the time run() is called.
		parse: (args) => parseFlags(args, {}, 'foyer db migrate [--json]').values,
		run: async (_options, out) => out.result({ ok: true }, 'Database is up to date.'),
	}),
}

/** The first line of standard input, for secrets passed as `-`; a clear error when there is none. */
async function firstLineOfStdin(flag: string): Promise<string> {
	if (process.stdin.isTTY) throw new CliError(`${flag}: type or pipe the value on standard input, e.g. \`printf 'Bearer KEY' | foyer sms set ...\``)
	let text = ''
	for await (const chunk of process.stdin) text += String(chunk)
	const line = text.split(/\r?\n/)[0]?.trim() ?? ''
	if (!line) throw new CliError(`${flag}: nothing was read from standard input`)
	return line
}
