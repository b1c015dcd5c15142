import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { upgradeOwnSession } from '../../modules/mfa/complete.server'
import { lastFactorRefusal } from '../../modules/mfa/manage.server'
import { confirmPhone, loadVerifiedPhone, removePhone, startPhoneVerification } from '../../modules/mfa/sms/phone.server'
import { formatPhoneNumber, parsePhoneNumber } from '../../modules/mfa/sms/phone'
import { requireRecentAuthentication } from '../../modules/mfa/step-up.server'
import { requireUser, safeRedirectPath } from '../../modules/sessions/session.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { CODE_TTL_MINUTES } from '../../modules/verification/verification.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Phone number · ${data?.orgName ?? ''}` }]

export { retryAfterHeaders as headers } from '../../utils/headers'

function requireSmsFactor(context: LoaderFunctionArgs['context']) {
	if (!context.org.settings.smsSecondFactor) throw data('Not found', { status: 404 })
}

/** Users whom policy makes set up a factor reach this page too; every visit needs a recent sign-in. */
async function requirePhoneOwner({ request, context }: LoaderFunctionArgs) {
	requireSmsFactor(context)
	const current = await requireUser(request, context, { allowMfaSetup: true })
	await requireRecentAuthentication(request, context, current)
	return current
}

/** Where to go after a phone is verified: a same-site `redirectTo`, else the security page. */
function nextPath(raw: FormDataEntryValue | string | null) {
	return safeRedirectPath(raw, '/account/security')
}

function pagePath(query: { pending?: string; redirectTo?: string | null; notice?: 'removed' }) {
	const search = new URLSearchParams()
	for (const [key, value] of Object.entries(query)) if (value) search.set(key, value)
	return `/account/phone${search.size ? `?${search}` : ''}`
}

export async function loader(args: LoaderFunctionArgs) {
	const { user } = await requirePhoneOwner(args)
	const url = new URL(args.request.url)
	const pending = parsePhoneNumber(url.searchParams.get('pending'))
	const phone = await loadVerifiedPhone(user.id)
	const redirectTo = url.searchParams.get('redirectTo')
	return {
		orgName: displayNameOf(args.context.org.branding.document, args.context.org),
		phone: phone ? formatPhoneNumber(phone.phoneNumber) : null,
		pending: pending.ok ? { e164: pending.e164, display: formatPhoneNumber(pending.e164) } : null,
		redirectTo: redirectTo && safeRedirectPath(redirectTo, '') ? redirectTo : null,
		removed: url.searchParams.get('notice') === 'removed',
	}
}

type Result = { formError: string | null; fieldErrors: { phone?: string[]; code?: string[] } }

const fail = (status: number, result: Partial<Result>, retryAfterSeconds?: number) =>
	data<Result>({ formError: null, fieldErrors: {}, ...result }, { status, headers: retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : undefined })

/**
 * `send` texts a code to a new number (or again to the pending one), `verify` makes the number the
 * user's phone factor (and, on an aal1 session, passes the second factor: a new aal2 session),
 * `remove` deletes it.
 */
export async function action(args: ActionFunctionArgs) {
	const { request, context } = args
	const current = await requirePhoneOwner(args)
	const { user } = current
	const form = await readFormData(request)
	const rawRedirect = form.get('redirectTo') ?? new URL(request.url).searchParams.get('redirectTo')
	const redirectTo = typeof rawRedirect === 'string' && safeRedirectPath(rawRedirect, '') ? rawRedirect : null
	const intent = form.get('intent')

	if (intent === 'send') {
		const phone = parsePhoneNumber(form.get('phone'))
		if (!phone.ok) return fail(400, { fieldErrors: { phone: [phone.message] } })
		const current = await loadVerifiedPhone(user.id)
		if (current?.phoneNumber === phone.e164) return fail(400, { fieldErrors: { phone: ['That is already your verified number.'] } })
		const sent = await startPhoneVerification(context, user, phone.e164)
		if (!sent.ok) return fail(sent.status, { formError: sent.message }, sent.retryAfterSeconds)
		throw redirect(pagePath({ pending: phone.e164, redirectTo }))
	}

	if (intent === 'verify') {
		const phone = parsePhoneNumber(form.get('phone'))
		if (!phone.ok) return fail(400, { formError: 'Start again: enter your phone number to get a new code.' })
		// Proving the phone is a second factor: an aal1 session becomes aal2 in the same transaction.
		const checked = await confirmPhone(context, user, phone.e164, form.get('code'), (tx) => upgradeOwnSession(request, context, current, 'sms', nextPath(redirectTo), tx))
		if (!checked.ok) return fail(checked.status, checked.status === 429 ? { formError: checked.message } : { fieldErrors: { code: [checked.message] } }, checked.retryAfterSeconds)
		const next = checked.value
		throw redirect(next ? next.redirectTo : nextPath(redirectTo), next ? { headers: setCookies(next.setCookies) } : undefined)
	}

	if (intent === 'remove') {
		const refusal = await lastFactorRefusal(context, user, (factors) => ({ ...factors, phone: null }))
		if (refusal) return fail(409, { formError: refusal })
		await removePhone(context, user)
		throw redirect(pagePath({ redirectTo, notice: 'removed' }))
	}

	return fail(400, { formError: 'Unknown action. Reload the page and try again.' })
}

export default function PhonePage() {
	const { phone, pending, redirectTo, removed } = useLoaderData<typeof loader>()
	const result = useActionData<Result>()
	const submitting = useNavigation().state === 'submitting'
	const keepRedirect = redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null
	const footer = (
		<Link className="text-link underline" to="/account/security">
			Back to security settings
		</Link>
	)

	if (pending) {
		return (
			<AuthCard page="account-phone" title="Enter the code" footer={footer}>
				<Form method="POST" className="flex flex-col gap-4">
					<FormError errors={[result?.formError]} />
					<p className="text-sm text-foreground">
						We texted a 6-digit code to {pending.display}. It works for {CODE_TTL_MINUTES} minutes.
					</p>
					<input type="hidden" name="phone" value={pending.e164} />
					{keepRedirect}
					<Field
						label="Code"
						inputProps={{ name: 'code', type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', pattern: '[0-9 -]*', maxLength: 20, required: true, autoFocus: true }}
						errors={result?.fieldErrors.code}
					/>
					<Button type="submit" name="intent" value="verify" disabled={submitting}>
						Verify phone number
					</Button>
				</Form>
				<Form method="POST" className="mt-3">
					<input type="hidden" name="phone" value={pending.e164} />
					{keepRedirect}
					<Button type="submit" name="intent" value="send" variant="secondary" disabled={submitting}>
						Send a new code
					</Button>
				</Form>
				<p className="mt-4 text-sm">
					<Link className="text-link underline" to={pagePath({ redirectTo })}>
						Use a different number
					</Link>
				</p>
			</AuthCard>
		)
	}

	return (
		<AuthCard page="account-phone" title="Phone number" footer={footer}>
			{removed ? (
				<p role="status" className="mb-4 text-sm text-foreground">
					Your phone number was removed.
				</p>
			) : null}
			{phone ? (
				<div className="mb-6 flex flex-col gap-3">
					<p className="text-sm text-foreground">
						Codes for signing in are texted to <strong data-testid="phone-number">{phone}</strong>.
					</p>
					<Form method="POST">
						{keepRedirect}
						<Button type="submit" name="intent" value="remove" variant="secondary" disabled={submitting}>
							Remove phone number
						</Button>
					</Form>
				</div>
			) : (
				<p className="mb-4 text-sm text-muted">Get a code by text message when you sign in. An authenticator app or a passkey is safer, if you can use one.</p>
			)}
			<Form method="POST" className="flex flex-col gap-4">
				<FormError errors={[result?.formError]} />
				{keepRedirect}
				<Field
					label={phone ? 'New phone number' : 'Phone number'}
					hint="With + and the country code, e.g. +1 415 555 0123"
					inputProps={{ name: 'phone', type: 'tel', autoComplete: 'tel', required: true, maxLength: 32, autoFocus: !phone }}
					errors={result?.fieldErrors.phone}
				/>
				<Button type="submit" name="intent" value="send" disabled={submitting}>
					{phone ? 'Change number' : 'Send code'}
				</Button>
			</Form>
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
