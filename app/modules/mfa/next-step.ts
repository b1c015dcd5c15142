import { type Aal } from './policy'

/**
 * Where a user goes next, after any factor or whenever a page, an app or a sensitive change asks
 * for more than the browser's session has. The one answer to "sign in, pass a second factor, set
 * one up, or go on": sign-in, step-up, the OIDC interaction and the guards all ask it, and the
 * pages turn the step into a URL with `authStepPath` only at the edge.
 */
export type AuthStep =
	/** Nothing more to prove: go on to `to`. */
	| { kind: 'continue'; to: string }
	/**
	 * Pass one of the user's second factors on /login/mfa, then go on. `pending`: a sign-in with no
	 * session yet, whose destination travels in the pending sign-in cookie rather than the URL.
	 */
	| { kind: 'second-factor'; to: string; pending?: boolean }
	/** Set up a second factor (the org requires one and the user has none), then go on. */
	| { kind: 'enrol'; to: string }
	/** Sign in (again: `reauth` shows the form to a signed-in user), then go on. */
	| { kind: 'sign-in'; to: string; reauth: boolean; notice?: 'step-up' }

export type AuthState = {
	/** What the browser's session (or the factor just passed) proves; null when nobody is signed in. */
	assurance: { aal: Aal; fresh: boolean } | null
	/** What is asked for: aal2 (policy, an app's acr_values, or a user who has a factor), a fresh proof (step-up). */
	needs: { aal2?: boolean; fresh?: boolean }
	/** Whether the user has a second factor they can pass here. */
	hasSecondFactor: boolean
	/** Whether the org lets users set up a second factor (its policy is not `off`). */
	canEnrol: boolean
	/** Where the user was heading. */
	to: string
}

/**
 * The rules, in order:
 * - nobody signed in: sign in;
 * - a stale session where a fresh proof is asked (step-up): the second factor where the user has
 *   one, else the password again;
 * - aal1 where aal2 is asked: the second factor where the user has one, else set one up, unless
 *   the org offers none (then the session goes on at aal1: acr_values are voluntary, and policy
 *   cannot require what the org turned off);
 * - otherwise go on.
 */
export function nextAuthStep(state: AuthState): AuthStep {
	const { assurance, needs, to } = state
	if (!assurance) return { kind: 'sign-in', to, reauth: false }
	if (needs.fresh && !assurance.fresh) return state.hasSecondFactor ? { kind: 'second-factor', to } : { kind: 'sign-in', to, reauth: true, notice: 'step-up' }
	if (needs.aal2 && assurance.aal !== 'aal2') {
		if (state.hasSecondFactor) return { kind: 'second-factor', to }
		if (state.canEnrol) return { kind: 'enrol', to }
	}
	return { kind: 'continue', to }
}

/** The URL of a step: the only place these paths are written. */
export function authStepPath(step: AuthStep): string {
	switch (step.kind) {
		case 'continue':
			return step.to
		case 'second-factor':
			return step.pending ? '/login/mfa' : `/login/mfa?${new URLSearchParams({ redirectTo: step.to })}`
		case 'enrol':
			return `/account/security?${new URLSearchParams({ setup: 'required', redirectTo: step.to })}`
		case 'sign-in':
			return `/login?${new URLSearchParams({ redirectTo: step.to, ...(step.reauth ? { reauth: '1' } : {}), ...(step.notice ? { notice: step.notice } : {}) })}`
	}
}
