import { ZodError } from 'zod'
import { disconnectDb } from '../utils/db.server'
import { EnvError } from '../utils/env.server'
import { boot } from '../server/boot.server'
import { CliError, UsageError, type Output } from './args'
import { commands } from './commands'

const HELP = `usage: foyer <noun> <verb> [flags] [--json]

  orgs create --name NAME --slug SLUG [--color HEX] [--theme ID]
  orgs list
  orgs settings --org SLUG
  orgs set --org SLUG key=value...      (key= resets the key to the default)
  orgs sender-domains --org SLUG        (where the org's emailSenderAddress may be, and what mail is sent from)
  orgs set-sender-domains --org SLUG DOMAIN... | --none
  defaults set key=value...             (the operator's defaults for every org)
  users create --org SLUG --email EMAIL [--admin]
  audit verify --org SLUG
  apps create --org SLUG --name NAME --type web|spa|native|m2m [--redirect-uri URI]... [--post-logout-redirect-uri URI]... [--first-party]
  apps list --org SLUG
  apps delete --org SLUG --client-id ID
  keys rotate --org SLUG
  api-keys create --org SLUG --name NAME --allow resource:action,... [--expires 30|90|365|never]   (the key is shown once; 90 days unless told)
  api-keys list --org SLUG
  api-keys revoke --org SLUG --id ID
  branding show --org SLUG              (what visitors see, and the draft)
  branding set --org SLUG path=value... [--css-file FILE|-]   (edits the draft: colors.light.brand=#0f766e texts.signInHeading=Welcome)
  branding publish --org SLUG           (the draft becomes the next version)
  branding versions --org SLUG
  branding restore --org SLUG --version N
  sms set --org SLUG --url URL [--auth-header VALUE|-] [--body-template TEXT] [--content-type TYPE]
  sms show --org SLUG                   (never prints the auth header)
  sms clear --org SLUG                  (back to the dev outbox)
  db migrate

Reaches the same database as the server: embedded in FOYER_DATA_DIR (./.data) or DATABASE_URL.
--json prints exactly one JSON object on stdout. Exit 0 ok, 1 failed (message on stderr), 2 bad usage.`

/** Runs one command and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
	const json = argv.includes('--json')
	const out: Output = {
		json,
		result: (value, text) => process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`),
	}
	const [noun, verb, ...rest] = argv
	if (!noun || noun === 'help' || noun === '--help' || noun === '-h') {
		process.stdout.write(`${HELP}\n`)
		return noun ? 0 : 2
	}
	const command = commands[`${noun} ${verb ?? ''}`]
	if (!command) return fail(out, 2, `unknown command: foyer ${[noun, verb].filter(Boolean).join(' ')}\n\n${HELP}`)

	let stop: (() => Promise<void>) | undefined
	try {
		const parsed = command.parse(rest)
		const { database } = await boot(
			(message) => {
				if (process.env['FOYER_VERBOSE']) process.stderr.write(`${message}\n`)
			},
			{ redis: false },
		)
		stop = database.stop
		await command.run(parsed as never, out)
		return 0
	} catch (error) {
		if (error instanceof UsageError) return fail(out, 2, error.message)
		if (error instanceof CliError) return fail(out, 1, error.message, error.details)
		if (error instanceof ZodError) return fail(out, 1, error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('\n'))
		if (error instanceof EnvError) return fail(out, 1, error.message)
		return fail(out, 1, error instanceof Error ? error.message : String(error))
	} finally {
		await disconnectDb()
		await stop?.()
	}
}

function fail(out: Output, code: number, message: string, details: Record<string, unknown> = {}) {
	process.stderr.write(`foyer: ${message}\n`)
	if (out.json) process.stdout.write(`${JSON.stringify({ ok: false, error: message.split('\n')[0], ...details })}\n`)
	return code
}
