import * as build from '@remix-run/dev/server-build'
import { type ServerBuild } from '@remix-run/node'
import { defaultHost, originFor } from '../modules/orgs/hosts'
import { createInitialOrgs, type InitialAdmin } from '../modules/orgs/bootstrap.server'
import { deleteOldOutboxEmails } from '../modules/email/mailer.server'
import { deleteExpiredPayloads } from '../modules/oidc/adapter.server'
import { deleteExpiredVerifications } from '../modules/verification/verification.server'
import { forgetClients } from '../modules/oidc/clients.server'
import { forgetProvider } from '../modules/oidc/provider.server'
import { forgetAllOrgs, forgetOrg } from '../modules/orgs/resolve.server'
import { loadPlatformDefaults } from '../modules/orgs/settings.server'
import { listenForChanges } from '../utils/changes.server'
import { disconnectDb } from '../utils/db.server'
import { type Env } from '../utils/env.server'
import { logger } from '../utils/logger.server'
import { dataDir } from '../utils/paths.server'
import { DatabaseSetupError } from '../utils/postgres.server'
import { removeServerInfo, writeServerInfo } from '../utils/server-info.server'
import { createApp } from './app'
import { boot } from './boot.server'

/**
 * Foyer's server: this file is the entry of the server bundle (remix.config.js `server`), so
 * Express, oidc-provider and every route module share one copy of each module.
 */
async function main() {
	const started = Date.now()
	const { env, database } = await boot((message) => logger.info(message))
	const admins = await createInitialOrgs({ baseDomain: env.FOYER_BASE_DOMAIN, demo: env.demo }).catch(async (error: unknown) => {
		await database.stop()
		throw error
	})
	await loadPlatformDefaults()
	const changes = listenForChanges(database.url, (change) => {
		if (change.type === 'defaults') {
			// Every org is read afresh with the new defaults; each org's OpenID Provider follows on its
			// next request, since providerFor() builds a new one for an org whose settings changed.
			loadPlatformDefaults()
				.then(forgetAllOrgs)
				.catch((error: unknown) => logger.warn({ err: error }, 'reloading platform defaults failed'))
			return
		}
		forgetOrg(change.id)
		forgetProvider(change.id)
		forgetClients(change.id)
	})
	await changes.ready
	const cleanup = setInterval(() => {
		deleteExpiredPayloads().catch((error: unknown) => logger.warn({ err: error }, 'expired OIDC payload cleanup failed'))
		deleteExpiredVerifications().catch((error: unknown) => logger.warn({ err: error }, 'expired verification cleanup failed'))
		deleteOldOutboxEmails().catch((error: unknown) => logger.warn({ err: error }, 'outbox cleanup failed'))
	}, 10 * 60_000)
	cleanup.unref()
	const app = createApp({ build: build as unknown as ServerBuild, env, databaseUrl: database.url })
	const server = app.listen(env.PORT, env.HOST ?? '::', () => {
		const address = server.address()
		const port = typeof address === 'object' && address ? address.port : env.PORT
		writeServerInfo(dataDir(), { pid: process.pid, port })
		logger.info({ port, ms: Date.now() - started, embeddedDatabase: database.embedded }, 'listening')
		if (!env.production || admins.length) process.stdout.write(banner(env, admins))
	})
	server.keepAliveTimeout = 65_000

	let stopping = false
	const stop = async (signal: string) => {
		if (stopping) return
		stopping = true
		logger.info({ signal }, 'stopping')
		server.close()
		server.closeIdleConnections()
		setTimeout(() => server.closeAllConnections(), 5_000).unref()
		removeServerInfo(dataDir())
		clearInterval(cleanup)
		await changes.close()
		await disconnectDb()
		await database.stop()
		process.exit(0)
	}
	process.on('SIGINT', () => void stop('SIGINT'))
	process.on('SIGTERM', () => void stop('SIGTERM'))
}

function banner(env: Env, admins: InitialAdmin[]): string {
	const url = { scheme: env.FOYER_PUBLIC_SCHEME, port: env.publicPort }
	const lines = ['', 'Foyer is running.', `  Operator   ${originFor(env.FOYER_OPERATOR_HOST, url)}/login`]
	if (env.demo) lines.push(`  Demo org   ${originFor(defaultHost('acme', env.FOYER_BASE_DOMAIN), url)}/login`)
	lines.push(`  Any org    ${originFor(defaultHost('<slug>', env.FOYER_BASE_DOMAIN), url)}/login   (create one: npx foyer orgs create --name NAME --slug SLUG)`)
	if (admins.length) {
		lines.push('', 'First start: these admin passwords are shown once. Store them now.')
		for (const admin of admins) lines.push(`  ${admin.org.padEnd(10)} ${admin.email}   ${admin.password}`)
	}
	return `${lines.join('\n')}\n\n`
}

main().catch((error: unknown) => {
	// Something for whoever starts Foyer to fix: the sentence that says how, not a stack trace.
	if (error instanceof DatabaseSetupError) {
		process.stderr.write(`${error.message}\n`)
		process.exit(1)
	}
	logger.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start')
	process.exit(1)
})
