import { describe, expect, it } from 'vitest'
import { BUILT_IN_ROLES, cleanStatements, hasAnyPermission, hasPermission, missingStatements, statementsSchema } from './statements'

describe('hasPermission', () => {
	it('needs every action asked for', () => {
		expect(hasPermission({ user: ['read', 'update'] }, { user: ['read'] })).toBe(true)
		expect(hasPermission({ user: ['read'] }, { user: ['read', 'delete'] })).toBe(false)
		expect(hasPermission({ user: ['read'] }, { user: ['read'], app: ['read'] })).toBe(false)
		expect(hasPermission({}, {})).toBe(true)
	})

	it('gives owners everything, admins everything but defining roles, members nothing', () => {
		expect(hasPermission(BUILT_IN_ROLES.owner, { role: ['create'], audit: ['export'], apiKey: ['delete'] })).toBe(true)
		expect(hasPermission(BUILT_IN_ROLES.admin, { user: ['delete'], app: ['create'], audit: ['export'] })).toBe(true)
		expect(hasPermission(BUILT_IN_ROLES.admin, { role: ['read'] })).toBe(true)
		expect(hasPermission(BUILT_IN_ROLES.admin, { role: ['update'] })).toBe(false)
		expect(hasAnyPermission(BUILT_IN_ROLES.member)).toBe(false)
		expect(hasPermission(BUILT_IN_ROLES.member, { user: ['read'] })).toBe(false)
	})
})

describe('stored statements', () => {
	it('keep only known resources and actions', () => {
		expect(cleanStatements({ user: ['read', 'fly'], rockets: ['launch'], audit: 'read', app: ['delete', 'read', 'read'] })).toEqual({ user: ['read'], app: ['read', 'delete'] })
		for (const garbage of [null, 'x', 42, [], { user: null }]) expect(cleanStatements(garbage)).toEqual({})
	})

	it('are refused with a message naming the unknown resource or action', () => {
		const result = statementsSchema.safeParse({ user: ['read', 'fly'], rockets: ['launch'] })
		expect(result.success).toBe(false)
		expect(result.error?.issues.map((issue) => issue.message)).toEqual([
			'Unknown action "fly" on user (one of read, create, update, delete)',
			'Unknown resource "rockets" (one of user, role, team, invitation, settings, branding, app, audit, apiKey, org)',
		])
		expect(statementsSchema.safeParse({ user: ['read'], audit: ['read', 'export'] }).success).toBe(true)
	})
})

describe('missingStatements', () => {
	it('names what the holder lacks, per resource, and nothing when they hold it all', () => {
		const editor = { user: ['read'], role: ['read', 'update'] } as const
		expect(missingStatements(editor, { user: ['read', 'delete'], app: ['read'], role: ['update'] })).toEqual({ user: ['delete'], app: ['read'] })
		expect(missingStatements(editor, { user: ['read'] })).toEqual({})
		expect(missingStatements(BUILT_IN_ROLES.owner, BUILT_IN_ROLES.admin)).toEqual({})
		expect(missingStatements(BUILT_IN_ROLES.admin, BUILT_IN_ROLES.owner)).toEqual({ role: ['create', 'update', 'delete'] })
	})

	it('skips the resources it is told to ignore', () => {
		expect(missingStatements({}, { org: ['read'], user: ['read'] }, ['org'])).toEqual({ user: ['read'] })
	})
})
