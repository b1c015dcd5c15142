import { describe, expect, it } from 'vitest'
import { actRefusal, grantRefusal, keyActor, roleCovers, statementsBeyond, userActor, type Actor } from './grants.server'
import { BUILT_IN_ROLES, STATEMENTS, type Permissions } from './statements'

/** The org's custom roles, as the rule reads them (no database: a stand-in for the Role table). */
const CUSTOM: Record<string, Permissions> = {
	Recruiter: { user: ['read'], invitation: ['read', 'create'] },
	Publisher: { app: ['read', 'create', 'update'] },
	Everything: STATEMENTS,
}
const roles = {
	findUnique: async ({ where }: { where: { organizationId_name: { name: string } } }) => {
		const statements = CUSTOM[where.organizationId_name.name]
		return statements ? { statements } : null
	},
	count: async ({ where }: { where: { name: string } }) => (CUSTOM[where.name] ? 1 : 0),
}
const client = { role: roles } as never

const acme = { id: 'acme', isOperator: false }
const operatorOrg = { id: 'operator', isOperator: true }
const user = (role: string, permissions: Permissions = CUSTOM[role] ?? BUILT_IN_ROLES[role as keyof typeof BUILT_IN_ROLES]) => userActor(acme, { id: `u-${role}`, role }, permissions)
const everythingButOrg = Object.fromEntries(Object.entries(STATEMENTS).filter(([resource]) => resource !== 'org')) as Permissions

const refusals = (actor: Actor, names: string[]) => Promise.all(names.map((name) => grantRefusal(actor, name, client)))

describe('grantRefusal: one rule for every way a role is given', () => {
	it('lets owners give anything, and only owners give owner', async () => {
		expect(await refusals(user('owner'), ['owner', 'admin', 'member', 'Everything', 'Publisher'])).toEqual([null, null, null, null, null])
		expect(await refusals(user('admin'), ['owner', 'admin', 'member', 'Publisher', 'Everything'])).toEqual(['owner_only', null, null, null, 'beyond'])
		expect(await grantRefusal(user('Everything'), 'owner', client)).toBe('owner_only')
	})

	it('lets a custom role give only roles within its own statements', async () => {
		expect(await refusals(user('Recruiter'), ['member', 'Recruiter', 'admin', 'Publisher', 'owner'])).toEqual([null, null, 'beyond', 'beyond', 'owner_only'])
		expect(await refusals(user('member'), ['member', 'Recruiter'])).toEqual([null, 'beyond'])
	})

	it('names a role that does not exist, whoever asks', async () => {
		expect(await grantRefusal(user('owner'), 'wizard', client)).toBe('unknown_role')
		expect(await grantRefusal(keyActor(acme, { id: 'k', statements: STATEMENTS, ownerRights: true }), '', client)).toBe('unknown_role')
	})

	it('judges a key by its statements, counting org only in the operator org', async () => {
		const full = keyActor(acme, { id: 'k', statements: everythingButOrg, ownerRights: true })
		expect(await refusals(full, ['owner', 'admin', 'Everything'])).toEqual([null, null, null])
		const narrow = keyActor(acme, { id: 'k', statements: { invitation: ['read', 'create'], user: ['read'] }, ownerRights: false })
		expect(await refusals(narrow, ['member', 'Recruiter', 'admin'])).toEqual([null, null, 'beyond'])
		// In the operator org, the platform statements are part of what a role can do.
		expect(await grantRefusal(keyActor(operatorOrg, { id: 'k', statements: everythingButOrg, ownerRights: true }), 'admin', client)).toBe('beyond')
		expect(await grantRefusal(keyActor(operatorOrg, { id: 'k', statements: STATEMENTS, ownerRights: true }), 'admin', client)).toBeNull()
	})

	it('keeps owner to keys of owners: a key with every statement, of a custom role that holds them all, is still no owner', async () => {
		const everythingButOwner = keyActor(acme, { id: 'k', statements: everythingButOrg, ownerRights: false })
		expect(await refusals(everythingButOwner, ['owner', 'admin', 'Everything'])).toEqual(['owner_only', null, null])
		expect(await actRefusal(everythingButOwner, 'owner', client)).toBe('owner_only')
	})

	it("lets an operator invite another org's owners while they may onboard orgs", async () => {
		const operator = (permissions: Permissions, org = acme): Actor => ({ kind: 'operator', org, id: 'op', permissions })
		expect(await grantRefusal(operator({ org: ['create'] }), 'owner', client)).toBeNull()
		expect(await grantRefusal(operator({ org: ['update'] }), 'owner', client)).toBeNull()
		expect(await grantRefusal(operator({ org: ['read'], user: ['create'] }), 'owner', client)).toBe('beyond')
		expect(await grantRefusal(operator(BUILT_IN_ROLES.owner, operatorOrg), 'owner', client)).toBe('beyond')
	})
})

describe('actRefusal and roleCovers: the same rule for acting on a holder', () => {
	it('lets only owners act on owners, and others on holders of roles within their own', async () => {
		expect(await actRefusal(user('admin'), 'owner', client)).toBe('owner_only')
		expect(await actRefusal(user('Recruiter'), 'admin', client)).toBe('beyond')
		expect(await actRefusal(user('admin'), 'Recruiter', client)).toBeNull()
	})

	it('raises a role only to one that covers it', async () => {
		expect(await roleCovers(acme, 'admin', 'member', client)).toBe(true)
		expect(await roleCovers(acme, 'member', 'admin', client)).toBe(false)
		expect(await roleCovers(acme, 'Publisher', 'Recruiter', client)).toBe(false)
		expect(await roleCovers(acme, 'admin', 'owner', client)).toBe(false)
		expect(await roleCovers(acme, 'owner', 'admin', client)).toBe(true)
	})

	it('compares statements without org outside the operator org', () => {
		expect(statementsBeyond(acme, everythingButOrg, BUILT_IN_ROLES.admin)).toEqual({})
		expect(statementsBeyond(operatorOrg, everythingButOrg, BUILT_IN_ROLES.admin)).toEqual({ org: ['read', 'create', 'update'] })
	})
})
