import { data, redirect } from '@remix-run/node'
import { errors, type InteractionResults } from 'oidc-provider'
import { type RequestContext } from '../../context'
import { db } from '../../utils/db.server'
import { recordAuditEvent } from '../audit/audit.server'
import { authStepFor } from '../mfa/auth-step.server'
import { authStepPath } from '../mfa/next-step'
import { getSessionUser } from '../sessions/session.server'
import { asksForSecondFactor } from './acr'
import { PrismaAdapter } from './adapter.server'
import { providerFor } from './provider.server'

/**
 * Foyer owns oidc-provider's interactions (login and consent):
 * - login: the hosted /login page signs the user in, then comes back here; an existing Foyer
 *   session is used as is unless the app demands a fresh sign-in (prompt=login, max_age) or a
 *   second factor it has not passed (acr_values=aal2, or the org's MFA policy);
 * - consent: first-party apps are granted on the user's behalf (also for prompt=consent, which
 *   apps send to get offline_access); third-party apps show the consent page.
 * Rules: the interaction must belong to this org's provider (its cookie is path- and
 * host-scoped) and its uid must match the URL; results go back through interactionResult.
 */
export async function loadInteraction(uid: string, context: RequestContext) {
	const provider = await providerFor(context.org)
	let details
	try {
		details = await provider.interactionDetails(context.req, context.res)
	} catch (error) {
		if (error instanceof errors.SessionNotFound) throw data('This sign-in has expired or was already completed. Go back to the app and start again.', { status: 400 })
		throw error
	}
	if (details.uid !== uid) throw data('This sign-in link does not match your browser session. Go back to the app and start again.', { status: 400 })
	const clientId = String(details.params.client_id)
	const app = await db().application.findFirst({ where: { organizationId: context.org.id, clientId } })
	if (!app) throw data('This app is not registered here.', { status: 400 })
	return { provider, details, app }
}

type Loaded = Awaited<ReturnType<typeof loadInteraction>>

async function finish({ provider }: Loaded, context: RequestContext, result: InteractionResults): Promise<never> {
	const returnTo = await provider.interactionResult(context.req, context.res, result, { mergeWithLastSubmission: true })
	throw redirect(returnTo, { headers: { 'Cache-Control': 'no-store' } })
}

/** Runs what can run without the user: completes login from the Foyer session, grants first-party consent. */
export async function advanceInteraction(request: Request, loaded: Loaded, context: RequestContext) {
	const { details, app } = loaded
	const current = await getSessionUser(request, context)
	const uidPath = `/interaction/${details.uid}`

	if (details.prompt.name === 'login') {
		// prompt=login: a sign-in after the app asked. max_age: a sign-in no older than it says
		// (judged on Foyer's session: oidc-provider raises max_age whenever it has no session yet).
		const promptLogin = details.prompt.reasons.includes('login_prompt')
		const maxAge = details.params.max_age === undefined ? undefined : Number(details.params.max_age)
		const tooOld = (session: { createdAt: Date }) => maxAge !== undefined && Number.isFinite(maxAge) && (Date.now() - session.createdAt.getTime()) / 1000 > maxAge
		const stale = current && (promptLogin ? !(await signedInSinceAsked(context, details.uid, current.session.createdAt)) : tooOld(current.session))
		if (!current || stale) {
			if (promptLogin) await askedToSignIn(context, details.uid)
			throw redirect(authStepPath({ kind: 'sign-in', to: uidPath, reauth: Boolean(current) }), { headers: { 'Cache-Control': 'no-store' } })
		}
		// aal2 asked by the app or the org's policy: pass the factor, or set one up (unless the org
		// offers none: then the app gets aal1 and decides).
		const assurance = { aal: current.session.aal === 'aal2' ? ('aal2' as const) : ('aal1' as const) }
		const step = await authStepFor(context, { user: current.user, assurance, needs: { policy: true, aal2: asksForSecondFactor(details.params.acr_values) }, to: uidPath })
		if (step.kind !== 'continue') throw redirect(authStepPath(step), { headers: { 'Cache-Control': 'no-store' } })
		return finish(loaded, context, {
			login: { accountId: current.user.id, ts: Math.floor(current.session.createdAt.getTime() / 1000), amr: current.session.amr, acr: current.session.aal, remember: true },
		})
	}

	if (details.prompt.name === 'consent') {
		if (!current || current.user.id !== details.session?.accountId) throw redirect(authStepPath({ kind: 'sign-in', to: uidPath, reauth: false }))
		if (app.firstParty) return grantConsent(loaded, context, current.user.id, { auto: true })
		return { user: current.user, scopes: requestedScopes(details) }
	}
	throw data('This sign-in step is not supported.', { status: 400 })
}

/**
 * prompt=login needs a sign-in that happened after the app asked. When Foyer sends the user to
 * sign in for such an interaction, it notes the moment (server-side, next to the interaction)
 * and only a session created after it counts.
 */
const reauthStore = (context: RequestContext) => new PrismaAdapter('FoyerReauth', context.org.id)

async function askedToSignIn(context: RequestContext, uid: string) {
	await reauthStore(context).upsert(uid, { askedAt: Date.now() }, 3600)
}

async function signedInSinceAsked(context: RequestContext, uid: string, sessionCreatedAt: Date) {
	const asked = (await reauthStore(context).find(uid)) as { askedAt?: number } | undefined
	return asked?.askedAt !== undefined && sessionCreatedAt.getTime() > asked.askedAt
}

function requestedScopes(details: Loaded['details']) {
	const missing = details.prompt.details as { missingOIDCScope?: string[] }
	return missing.missingOIDCScope ?? String(details.params.scope ?? '').split(' ').filter(Boolean)
}

export async function grantConsent(loaded: Loaded, context: RequestContext, accountId: string, options: { auto?: boolean } = {}): Promise<never> {
	const { provider, details, app } = loaded
	const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId: app.clientId })
	const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> }
	if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
	if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
	for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '))
	const grantId = await grant.save()
	await db().$transaction((tx) =>
		recordAuditEvent(tx, {
			organizationId: context.org.id,
			type: 'oidc.consent_granted',
			actorId: accountId,
			targetType: 'app',
			targetId: app.id,
			ip: context.ip,
			userAgent: context.userAgent,
			data: { clientId: app.clientId, scopes: missing.missingOIDCScope ?? [], grantId, firstParty: options.auto ?? false },
		}),
	)
	return finish(loaded, context, { consent: { grantId } })
}

export async function denyConsent(loaded: Loaded, context: RequestContext): Promise<never> {
	return finish(loaded, context, { error: 'access_denied', error_description: 'The user did not allow access.' })
}
