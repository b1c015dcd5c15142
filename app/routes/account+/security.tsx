import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { BackupCodeList } from '../../components/backup-code-list'
import { AuthCard } from '../../components/ui/card'
import { Notice } from '../../components/ui/notice'
import { FormError } from '../../components/ui/field'
import { loadUserFactors } from '../../modules/mfa/factors.server'
import { newBackupCodes, removeTotpFactor } from '../../modules/mfa/manage.server'
import { mfaRequiredOf } from '../../modules/mfa/requirement.server'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { startTotpEnrolment } from '../../modules/mfa/totp.server'
import { requireUser, safeRedirectPath } from '../../modules/sessions/session.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Security · ${data?.orgName ?? ''}` }]

/**
 * `/account/security`: the user's second factors. Viewing needs a session; every change needs a
 * recent authentication (step-up). It is also where policy sends a user who must set up a second
 * factor (`?setup=required`), so it accepts a session without one.
 */
/** Fixed text for `?notice=`, never taken from the URL. */
const NOTICES = {
	'totp-on': 'Your authenticator app is on. Make backup codes now, in case you lose your phone.',
} as const

export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user, session } = await requireUser(request, context, { allowMfaSetup: true })
	const { settings } = context.org
	const url = new URL(request.url)
	const factors = await loadUserFactors(user.id)
	const required = session.aal !== 'aal2' && (await mfaRequiredOf(context.org, user))
	const notice = url.searchParams.get('notice')
	return {
		orgName: displayNameOf(context.org.branding.document, context.org),
		notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null,
		setupRequired: required,
		redirectTo: url.searchParams.has('redirectTo') ? safeRedirectPath(url.searchParams.get('redirectTo')) : null,
		secondFactors: settings.mfaPolicy !== 'off',
		passkeysOn: settings.passkeys,
		smsOn: settings.smsSecondFactor && settings.mfaPolicy !== 'off',
		factors,
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const current = await requireUser(request, context, { allowMfaSetup: true })
	const { user } = current
	const form = await readFormData(request)
	const intent = form.get('intent')
	if (context.org.settings.mfaPolicy === 'off') throw data('Two-step verification is off in this organization.', { status: 404 })
	const back = new URL(request.url)
	await requireRecentAuthentication(request, context, current, `${back.pathname}${back.search}`)
	switch (intent) {
		case 'start-totp': {
			const started = await startTotpEnrolment(user)
			if (started === 'already-enrolled') return data({ error: 'An authenticator app is already set up. Remove it first to set up another.', backupCodes: null }, { status: 409 })
			throw redirect(`/account/security/totp${back.search}`)
		}
		case 'remove-totp': {
			const removed = await removeTotpFactor(context, user)
			if (!removed.ok) return data({ error: removed.message, backupCodes: null }, { status: 409 })
			throw redirect(`/account/security${back.search}`)
		}
		case 'regenerate-backup-codes': {
			const factors = await loadUserFactors(user.id)
			if (!factors.totp && !factors.passkeys && !factors.phone) return data({ error: 'Set up a two-step method first: backup codes stand in for it.', backupCodes: null }, { status: 409 })
			return { error: null, backupCodes: await newBackupCodes(context, user) }
		}
		default:
			throw data('Unknown action.', { status: 400 })
	}
}

const rowClass = 'flex items-center justify-between gap-3 rounded-brand border border-border p-3 text-sm'
const linkButton = 'shrink-0 whitespace-nowrap rounded-brand border border-border px-3 py-1.5 text-link underline'

export default function SecurityPage() {
	const { orgName, notice, setupRequired, redirectTo, secondFactors, passkeysOn, smsOn, factors } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const carry = redirectTo ? `?${new URLSearchParams({ setup: 'required', redirectTo })}` : ''
	if (result?.backupCodes) {
		return (
			<AuthCard page="account-security" title="Your backup codes">
				<BackupCodeList codes={result.backupCodes} />
				<Link className="mt-4 inline-block text-sm text-link underline" to={`/account/security${carry}`}>
					I saved them
				</Link>
			</AuthCard>
		)
	}
	return (
		<AuthCard
			page="account-security"
			title="Security"
			footer={
				<Link className="text-link underline" to={redirectTo && !setupRequired ? redirectTo : '/account'}>
					{redirectTo && !setupRequired ? 'Continue' : 'Back to your account'}
				</Link>
			}
		>
			{setupRequired ? <Notice>{orgName} requires two-step verification. Set up one of the methods below to continue.</Notice> : null}
			{notice ? <Notice>{notice}</Notice> : null}
			<FormError errors={[result?.error]} />
			<ul className="flex flex-col gap-2" aria-label="Two-step verification methods">
				{passkeysOn ? (
					<li className={rowClass}>
						<span>
							<span className="block font-medium">Passkeys</span>
							<span className="text-xs text-muted">{factors.passkeys ? `${factors.passkeys} registered` : 'Sign in with your fingerprint, face or device PIN.'}</span>
						</span>
						<Link className={linkButton} to={`/account/passkeys${carry}`}>
							{factors.passkeys ? 'Manage' : 'Add'}
						</Link>
					</li>
				) : null}
				{secondFactors ? (
					<li className={rowClass}>
						<span>
							<span className="block font-medium">Authenticator app</span>
							<span className="text-xs text-muted">{factors.totp ? 'On' : 'Codes from an app such as 1Password, Authy or Google Authenticator.'}</span>
						</span>
						<Form method="POST">
							<button type="submit" name="intent" value={factors.totp ? 'remove-totp' : 'start-totp'} className={linkButton}>
								{factors.totp ? 'Remove' : 'Set up'}
							</button>
						</Form>
					</li>
				) : null}
				{smsOn ? (
					<li className={rowClass}>
						<span>
							<span className="block font-medium">Text message</span>
							<span className="text-xs text-muted">{factors.phone ? `Codes to ${factors.phone}` : 'Codes texted to your phone.'}</span>
						</span>
						<Link className={linkButton} to={`/account/phone${carry}`}>
							{factors.phone ? 'Manage' : 'Add'}
						</Link>
					</li>
				) : null}
				{secondFactors && (factors.totp || factors.passkeys || factors.phone) ? (
					<li className={rowClass}>
						<span>
							<span className="block font-medium">Backup codes</span>
							<span className="text-xs text-muted">{factors.backupCodesLeft} left. Use one if you lose your other methods.</span>
						</span>
						<Form method="POST">
							<button type="submit" name="intent" value="regenerate-backup-codes" className={linkButton}>
								{factors.backupCodesLeft ? 'Make new codes' : 'Make codes'}
							</button>
						</Form>
					</li>
				) : null}
			</ul>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
