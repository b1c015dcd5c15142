import pg from 'pg'
import { db } from './db.server'
import { logger } from './logger.server'

/**
 * Cross-process cache invalidation over PostgreSQL LISTEN/NOTIFY: the CLI (or another server
 * instance) announces that an org changed, and every server drops what it cached of that org.
 * Needs nothing but the database Foyer already has.
 */
const CHANNEL = 'foyer_changes'

/** An org changed (settings, clients, keys, suspension, ...), or the platform defaults every org inherits. */
export type Change = { type: 'org'; id: string } | { type: 'defaults' }

export async function announceChange(change: Change) {
	await db().$executeRaw`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(change)})`
}

export function listenForChanges(databaseUrl: string, onChange: (change: Change) => void) {
	let client: pg.Client | undefined
	let closed = false
	let retryMs = 500

	const connect = async () => {
		client = new pg.Client({ connectionString: databaseUrl })
		client.on('notification', (message) => {
			try {
				onChange(JSON.parse(message.payload ?? '') as Change)
			} catch (error) {
				logger.warn({ err: error }, 'ignored a malformed change notification')
			}
		})
		client.on('error', (error) => {
			logger.warn({ err: error }, 'change listener lost its connection')
			reconnect()
		})
		await client.connect()
		await client.query(`LISTEN ${CHANNEL}`)
		retryMs = 500
	}
	const reconnect = () => {
		client?.end().catch(() => {})
		if (closed) return
		setTimeout(() => connect().catch(reconnect), retryMs).unref()
		retryMs = Math.min(retryMs * 2, 30_000)
	}

	const ready = connect()
	return {
		ready,
		close: async () => {
			closed = true
			await client?.end().catch(() => {})
		},
	}
}
