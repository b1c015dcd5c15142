import { describe, expect, it } from 'vitest'
import { apiKeyExpirySchema, apiKeyInputSchema, expiresAtFor } from './schema'
import { apiKeyStatus, heldByBoth } from './standing'

const now = new Date('2027-03-01T12:00:00Z')
const live = { revokedAt: null, expiresAt: null, creatorKind: 'user' as const, creator: { disabledAt: null } }

describe('what a key may do now', () => {
	it('is the statements both the key and its creator hold, in statements.ts order', () => {
		expect(heldByBoth({ user: ['read', 'delete'], app: ['read'] }, { user: ['delete', 'read', 'update'], team: ['read'] })).toEqual({ user: ['read', 'delete'] })
		expect(heldByBoth({ user: ['read', 'delete'] }, {})).toEqual({})
		expect(heldByBoth({}, { user: ['read'] })).toEqual({})
	})
})

describe('whether a key works', () => {
	it('works while live, unexpired and its creator is enabled', () => {
		expect(apiKeyStatus(live, now)).toBe('active')
		expect(apiKeyStatus({ ...live, expiresAt: new Date(now.getTime() + 1) }, now)).toBe('active')
	})

	it('stops when revoked, at its expiry, while its creator is disabled, and for good once its creator is deleted', () => {
		expect(apiKeyStatus({ ...live, revokedAt: now, expiresAt: new Date(0) }, now)).toBe('revoked')
		expect(apiKeyStatus({ ...live, expiresAt: now }, now)).toBe('expired')
		expect(apiKeyStatus({ ...live, creator: { disabledAt: now } }, now)).toBe('creator_disabled')
		expect(apiKeyStatus({ ...live, creator: null }, now)).toBe('creator_deleted')
	})

	it("keeps a CLI key (the server operator's) bound to no user, but not past its expiry", () => {
		expect(apiKeyStatus({ ...live, creatorKind: 'cli', creator: null }, now)).toBe('active')
		expect(apiKeyStatus({ ...live, creatorKind: 'cli', creator: null, expiresAt: new Date(0) }, now)).toBe('expired')
	})
})

describe('key expiry', () => {
	it('offers 30, 90 and 365 days and never, 90 unless told', () => {
		expect(expiresAtFor('30', now)).toEqual(new Date('2027-03-31T12:00:00Z'))
		expect(expiresAtFor('365', now)).toEqual(new Date('2028-02-29T12:00:00Z'))
		expect(expiresAtFor('never', now)).toBeNull()
		expect(apiKeyInputSchema.parse({ name: 'CI', statements: ['user:read'] }).expiresIn).toBe('90')
		for (const bad of ['7', '', 'forever', 90]) expect(apiKeyExpirySchema.safeParse(bad).error?.issues[0]?.message, String(bad)).toBe('Choose 30, 90 or 365 days, or never')
	})
})
