import { errors } from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteExpiredPayloads, PrismaAdapter } from '../../app/modules/oidc/adapter.server'
import { connectDb, db, disconnectDb } from '../../app/utils/db.server'
import { createTestDatabase } from '../setup/database'

let database: Awaited<ReturnType<typeof createTestDatabase>>
let acme: string
let globex: string

beforeAll(async () => {
	database = await createTestDatabase()
	connectDb(database.url)
	acme = (await db().organization.create({ data: { slug: 'acme', name: 'Acme', brandColor: '#c2410c' } })).id
	globex = (await db().organization.create({ data: { slug: 'globex', name: 'Globex', brandColor: '#15803d' } })).id
})

afterAll(async () => {
	await disconnectDb()
	await database?.drop()
})

describe('PrismaAdapter', () => {
	it('stores and finds a payload by id, uid and grant, scoped to its org', async () => {
		const codes = new PrismaAdapter('AuthorizationCode', acme)
		await codes.upsert('code-1', { grantId: 'grant-1', uid: 'uid-1', accountId: 'user-1' }, 60)
		expect(await codes.find('code-1')).toMatchObject({ grantId: 'grant-1', accountId: 'user-1' })
		expect(await new PrismaAdapter('Session', acme).findByUid('uid-1')).toBeUndefined() // other model
		expect(await codes.findByUid('uid-1')).toMatchObject({ accountId: 'user-1' })
		expect(await new PrismaAdapter('AuthorizationCode', globex).find('code-1')).toBeUndefined()
	})

	it('consumes exactly once, even when many try at the same time', async () => {
		const tokens = new PrismaAdapter('RefreshToken', acme)
		await tokens.upsert('rt-1', { grantId: 'grant-2' }, 600)
		const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => tokens.consume('rt-1')))
		expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1)
		for (const attempt of attempts) if (attempt.status === 'rejected') expect(attempt.reason).toBeInstanceOf(errors.InvalidGrant)
		const found = await tokens.find('rt-1')
		expect(found?.consumed).toEqual(expect.any(Number))
	})

	it('never consumes another org’s payload', async () => {
		await new PrismaAdapter('AuthorizationCode', acme).upsert('code-2', {}, 60)
		await expect(new PrismaAdapter('AuthorizationCode', globex).consume('code-2')).rejects.toBeInstanceOf(errors.InvalidGrant)
		expect((await new PrismaAdapter('AuthorizationCode', acme).find('code-2'))?.consumed).toBeUndefined()
	})

	it('revokes everything of a grant and nothing else', async () => {
		const access = new PrismaAdapter('AccessToken', acme)
		await access.upsert('at-1', { grantId: 'grant-3' }, 600)
		await access.upsert('at-2', { grantId: 'grant-4' }, 600)
		await new PrismaAdapter('RefreshToken', acme).upsert('rt-3', { grantId: 'grant-3' }, 600)
		await access.revokeByGrantId('grant-3')
		expect(await access.find('at-1')).toBeUndefined()
		expect(await new PrismaAdapter('RefreshToken', acme).find('rt-3')).toBeUndefined()
		expect(await access.find('at-2')).toBeDefined()
	})

	it('hides expired payloads and the cleanup deletes them', async () => {
		const sessions = new PrismaAdapter('Session', acme)
		await sessions.upsert('s-1', {}, 600)
		await sessions.upsert('s-2', {}, 600)
		await db().oidcPayload.update({ where: { model_id: { model: 'Session', id: 's-1' } }, data: { expiresAt: new Date(Date.now() - 2 * 3_600_000) } })
		expect(await sessions.find('s-1')).toBeUndefined()
		expect(await deleteExpiredPayloads()).toBeGreaterThanOrEqual(1)
		expect(await db().oidcPayload.findMany({ where: { id: { in: ['s-1', 's-2'] } }, select: { id: true } })).toEqual([{ id: 's-2' }])
	})
})
