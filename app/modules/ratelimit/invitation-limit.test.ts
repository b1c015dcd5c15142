import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkInvitationLimit, configureInvitationLimit, DEFAULT_INVITATION_LIMIT_POLICY, invitationLimitMessage } from './invitation-limit.server'

beforeEach(() => configureInvitationLimit())
afterEach(() => configureInvitationLimit())

async function sends(organizationId: string, address: string, times: number) {
	const verdicts = []
	for (let i = 0; i < times; i++) verdicts.push((await checkInvitationLimit(organizationId, address)).allowed)
	return verdicts
}

describe('invitation send limits (in-process store)', () => {
	it('allows 5 invitations to one address an hour and refuses the 6th, whatever the case', async () => {
		expect(DEFAULT_INVITATION_LIMIT_POLICY).toEqual({ addressSends: 5, orgSends: 1000, windowSeconds: 3600 })
		expect(await sends('org_1', 'ada@example.com', 5)).toEqual([true, true, true, true, true])
		const verdict = await checkInvitationLimit('org_1', ' ADA@example.com ')
		expect(verdict.allowed).toBe(false)
		if (verdict.allowed) return
		expect(verdict.retryAfterSeconds).toBeGreaterThan(3500)
		expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(3600)
	})

	it('counts each org apart, and other addresses of the org still go', async () => {
		await sends('org_1', 'ada@example.com', 5)
		expect((await checkInvitationLimit('org_2', 'ada@example.com')).allowed).toBe(true)
		expect((await checkInvitationLimit('org_1', 'grace@example.com')).allowed).toBe(true)
	})

	it("caps the org's invitations across addresses", async () => {
		configureInvitationLimit({ addressSends: 5, orgSends: 3, windowSeconds: 60 })
		expect([...(await sends('org_1', 'a@example.com', 1)), ...(await sends('org_1', 'b@example.com', 1)), ...(await sends('org_1', 'c@example.com', 1))]).toEqual([true, true, true])
		expect((await checkInvitationLimit('org_1', 'd@example.com')).allowed).toBe(false)
		expect((await checkInvitationLimit('org_2', 'd@example.com')).allowed).toBe(true)
	})

	it('says when to try again', () => {
		expect(invitationLimitMessage(60)).toBe('Too many invitations were sent lately. Try again in a minute.')
		expect(invitationLimitMessage(3599)).toBe('Too many invitations were sent lately. Try again in 60 minutes.')
	})
})
