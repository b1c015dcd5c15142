import { type RequestContext } from '../../context'
import { loadUserFactors } from './factors.server'
import { nextAuthStep, type AuthStep } from './next-step'
import { type Aal, usableSecondFactors } from './policy'
import { mfaRequiredOf } from './requirement.server'

/**
 * Step-up: changing the password, the email, a factor, or deleting the account needs a sign-in
 * or a second factor within the last STEP_UP_MINUTES. Every sign-in and every second factor
 * passed starts a new session (rotation), so the session's creation time is the moment the user
 * last proved who they are.
 */
export const STEP_UP_MINUTES = 10

export function isRecentlyAuthenticated(session: { createdAt: Date }, now = Date.now()) {
	return now - session.createdAt.getTime() <= STEP_UP_MINUTES * 60_000
}

export type AuthNeeds = {
	/** What the org's policy demands of this user (`required`, or `required-for-admins` for an admin-level role). */
	policy?: boolean
	/** aal2 asked for outright: an app's `acr_values=aal2`. */
	aal2?: boolean
	/** aal2 when the user has a second factor (a sign-in: who has a factor passes it). */
	factorIfAny?: boolean
	/** A proof within STEP_UP_MINUTES (step-up before a sensitive change). */
	fresh?: boolean
}

/**
 * nextAuthStep for a user of this org: loads what the rules need (the user's factors; the role's
 * statements only for `required-for-admins`) and nothing when nothing is asked.
 */
export async function authStepFor(
	context: Pick<RequestContext, 'org'>,
	input: { user: { id: string; role: string } | null; assurance: { aal: Aal; createdAt?: Date } | null; needs: AuthNeeds; to: string },
): Promise<AuthStep> {
	const { user, assurance, needs, to } = input
	if (!user || !assurance) return nextAuthStep({ assurance: null, needs: {}, hasSecondFactor: false, canEnrol: false, to })
	const below = assurance.aal !== 'aal2'
	const required = Boolean(needs.policy) && below && (await mfaRequiredOf(context.org, user))
	const fresh = assurance.createdAt ? isRecentlyAuthenticated({ createdAt: assurance.createdAt }) : true
	const asked = (below && (required || needs.aal2 || needs.factorIfAny)) || (needs.fresh && !fresh)
	const methods = asked ? usableSecondFactors(context.org.settings, await loadUserFactors(user.id)) : []
	return nextAuthStep({
		assurance: { aal: assurance.aal, fresh },
		needs: { aal2: required || Boolean(needs.aal2) || (Boolean(needs.factorIfAny) && methods.length > 0), fresh: needs.fresh },
		hasSecondFactor: methods.length > 0,
		canEnrol: context.org.settings.mfaPolicy !== 'off',
		to,
	})
}
