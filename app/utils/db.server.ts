import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client'

export type Db = PrismaClient
export type { Prisma } from '../generated/prisma/client'

export function createPrismaClient(connectionString: string, options: { synchronousCommit?: boolean } = {}): PrismaClient {
	const config = { connectionString, ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}) }
	return new PrismaClient({ adapter: new PrismaPg(config) })
}

let client: PrismaClient | undefined
let tokens: PrismaClient | undefined

/**
 * oidc-provider's storage (codes, tokens, grants, its sessions) on connections with
 * synchronous_commit off: a token write returns without waiting for the WAL flush. Atomicity and
 * consistency are unchanged (a code or refresh token is still consumed exactly once); a crash of
 * PostgreSQL itself can lose the last fraction of a second of issued tokens, which their apps then
 * ask for again. Everything else (users, sessions, audit) commits durably through db().
 */
export function tokenDb(): PrismaClient {
	if (!client) throw new Error('Database not connected: call connectDb(url) first')
	return tokens!
}

/** The process-wide client; `connectDb` must have run (server start, CLI start, test setup). */
export function db(): PrismaClient {
	if (!client) throw new Error('Database not connected: call connectDb(url) first')
	return client
}

export function connectDb(connectionString: string): PrismaClient {
	client ??= createPrismaClient(connectionString)
	tokens ??= createPrismaClient(connectionString, { synchronousCommit: false })
	return client
}

export async function disconnectDb() {
	await Promise.all([client?.$disconnect(), tokens?.$disconnect()])
	client = undefined
	tokens = undefined
}
