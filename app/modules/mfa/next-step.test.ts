import { describe, expect, it } from 'vitest'
import { authStepPath, nextAuthStep, type AuthState } from './next-step'

const state = (overrides: Partial<AuthState>): AuthState => ({
	assurance: { aal: 'aal1', fresh: true },
	needs: {},
	hasSecondFactor: false,
	canEnrol: true,
	to: '/account',
	...overrides,
})

describe('nextAuthStep', () => {
	it('sends nobody-signed-in to sign in, whatever else is asked', () => {
		expect(nextAuthStep(state({ assurance: null, needs: { aal2: true, fresh: true }, hasSecondFactor: true }))).toEqual({ kind: 'sign-in', to: '/account', reauth: false })
	})

	it('asks a stale session for the second factor, or the password again, before a sensitive change', () => {
		const stale = { aal: 'aal2', fresh: false } as const
		expect(nextAuthStep(state({ assurance: stale, needs: { fresh: true }, hasSecondFactor: true }))).toEqual({ kind: 'second-factor', to: '/account' })
		expect(nextAuthStep(state({ assurance: stale, needs: { fresh: true } }))).toEqual({ kind: 'sign-in', to: '/account', reauth: true, notice: 'step-up' })
		expect(nextAuthStep(state({ assurance: { aal: 'aal1', fresh: true }, needs: { fresh: true } }))).toEqual({ kind: 'continue', to: '/account' })
	})

	it('raises aal1 to aal2 with the factor, or sends the user to set one up, or lets them go on when the org offers none', () => {
		expect(nextAuthStep(state({ needs: { aal2: true }, hasSecondFactor: true })).kind).toBe('second-factor')
		expect(nextAuthStep(state({ needs: { aal2: true } })).kind).toBe('enrol')
		expect(nextAuthStep(state({ needs: { aal2: true }, canEnrol: false })).kind).toBe('continue')
		expect(nextAuthStep(state({ assurance: { aal: 'aal2', fresh: true }, needs: { aal2: true }, hasSecondFactor: true })).kind).toBe('continue')
	})
})

describe('authStepPath', () => {
	it('writes each step as the one URL for it', () => {
		expect(authStepPath({ kind: 'continue', to: '/interaction/abc' })).toBe('/interaction/abc')
		expect(authStepPath({ kind: 'second-factor', to: '/account/password' })).toBe('/login/mfa?redirectTo=%2Faccount%2Fpassword')
		expect(authStepPath({ kind: 'second-factor', to: '/account', pending: true })).toBe('/login/mfa')
		expect(authStepPath({ kind: 'enrol', to: '/admin' })).toBe('/account/security?setup=required&redirectTo=%2Fadmin')
		expect(authStepPath({ kind: 'sign-in', to: '/interaction/x', reauth: true })).toBe('/login?redirectTo=%2Finteraction%2Fx&reauth=1')
		expect(authStepPath({ kind: 'sign-in', to: '/account/email', reauth: true, notice: 'step-up' })).toBe('/login?redirectTo=%2Faccount%2Femail&reauth=1&notice=step-up')
	})
})
