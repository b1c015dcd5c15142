import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client'

import { type Prisma } from '../generated/prisma/client'

export type Db = PrismaClient
export type { Prisma } from '../generated/prisma/client'

/** The client a transaction callback gets; modules that write as part of a larger change take one. */
export type Tx = Prisma.TransactionClient

/** A unique constraint refused the write (Prisma's P2002): the caller turns it into a 409 or a field message. */
export function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002'
}

export function createPrismaClient(connectionString: string): PrismaClient {
	return new PrismaClient({ adapter: new PrismaPg({ connectionString }) })
}

let client: PrismaClient | undefined

/** The process-wide client; `connectDb` must have run (server start, CLI start, test setup). */
export function db(): PrismaClient {
	if (!client) throw new Error('Database not connected: call connectDb(url) first')
	return client
}

export function connectDb(connectionString: string): PrismaClient {
	client ??= createPrismaClient(connectionString)
	return client
}

export async function disconnectDb() {
	await client?.$disconnect()
	client = undefined
}
