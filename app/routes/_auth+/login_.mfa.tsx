import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { PasskeyButton } from '../../components/passkey-button'
import { Button } from '../../components/ui/button'
import { AuthCard } from '../../components/ui/card'
import { Field, FormError } from '../../components/ui/field'
import { secondFactorSubject, completeSecondFactor, type SecondFactorSubject } from '../../modules/mfa/complete.server'
import { loadUserFactors } from '../../modules/mfa/factors.server'
import { clearPendingSignIn } from '../../modules/mfa/pending.server'
import { usableSecondFactors, type SecondFactorMethod } from '../../modules/mfa/policy'
import { verifyCodeFactor, type CodeFactor } from '../../modules/mfa/second-factor.server'
import { authStepFor } from '../../modules/mfa/auth-step.server'
import { authStepPath } from '../../modules/mfa/next-step'
import { sendSmsSignInCode } from '../../modules/mfa/sms/sms.server'
import { setCookies } from '../../modules/sessions/sign-in.server'
import { readFormData } from '../../utils/forms.server'
import { displayNameOf } from '../../modules/branding/document'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Two-step verification · ${data?.orgName ?? ''}` }]

export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
	const headers = new Headers({ 'Cache-Control': 'no-store' })
	const retryAfter = actionHeaders.get('Retry-After') ?? loaderHeaders.get('Retry-After')
	if (retryAfter) headers.set('Retry-After', retryAfter)
	return headers
}

const CODE_FACTORS: readonly CodeFactor[] = ['totp', 'sms', 'backup-code']

/** What each option is called where the user picks one. */
const SWITCH_TEXT: Record<SecondFactorMethod, string> = {
	passkey: 'Use a passkey',
	totp: 'Use your authenticator app',
	sms: 'Text me a code',
	'backup-code': 'Use a backup code',
}

/**
 * The second step of a sign-in (a pending sign-in cookie), or a signed-in user proving it is
 * still them (step-up). Loads who it is for and which factors they can use here.
 */
async function load(request: Request, context: LoaderFunctionArgs['context'], redirectTo: string | null) {
	const subject = await secondFactorSubject(request, context, redirectTo)
	if (!subject) throw redirect('/login', { headers: { 'Set-Cookie': await clearPendingSignIn(context) } })
	const factors = await loadUserFactors(subject.user.id)
	const methods = usableSecondFactors(context.org.settings, factors)
	if (!methods.length) {
		// The factor went away (removed on another device) or the org turned second factors off:
		// a signed-in user goes on (or sets one up, where the policy wants one); a pending sign-in starts over.
		if (subject.kind === 'sign-in') throw redirect('/login', { headers: { 'Set-Cookie': await clearPendingSignIn(context) } })
		const step = await authStepFor(context, { user: subject.user, assurance: { aal: 'aal1' }, needs: { policy: true }, to: subject.redirectTo })
		throw redirect(authStepPath(step))
	}
	return { subject, methods, factors }
}

/** The branding studio's preview shows this page as a sign-in with an authenticator app would (no one's sign-in). */
const PREVIEW_PAGE = { kind: 'sign-in' as const, method: 'totp' as const, methods: ['totp', 'backup-code'] as SecondFactorMethod[], redirectTo: '', phoneEnding: null, backupCodesLeft: 10 }

export async function loader({ request, context }: LoaderFunctionArgs) {
	if (context.preview) return { orgName: context.org.name, ...PREVIEW_PAGE }
	const url = new URL(request.url)
	const { subject, methods, factors } = await load(request, context, url.searchParams.get('redirectTo'))
	const asked = url.searchParams.get('method')
	const method = methods.find((candidate) => candidate === asked) ?? methods[0]!
	return {
		orgName: displayNameOf(context.org.branding.document, context.org),
		kind: subject.kind,
		method,
		methods,
		redirectTo: subject.kind === 'step-up' ? subject.redirectTo : '',
		phoneEnding: factors.phone ? factors.phone.slice(-2) : null,
		backupCodesLeft: factors.backupCodesLeft,
	}
}

type ActionResult = { error: string | null; fieldError: string | null; method: SecondFactorMethod; sent?: boolean }

export async function action({ request, context }: ActionFunctionArgs) {
	const form = await readFormData(request)
	const redirectTo = form.get('redirectTo')
	const { subject, methods } = await load(request, context, typeof redirectTo === 'string' ? redirectTo : null)
	if (form.get('intent') === 'send-sms') {
		if (!methods.includes('sms')) return data<ActionResult>({ error: 'Text messages are not one of your ways to verify.', fieldError: null, method: methods[0]! }, { status: 400 })
		const sent = await sendSmsSignInCode(context, subject.user)
		if (!sent.ok) return data<ActionResult>({ error: sent.message, fieldError: null, method: 'sms' }, { status: sent.status, headers: 'retryAfterSeconds' in sent ? { 'Retry-After': String(sent.retryAfterSeconds) } : undefined })
		return { error: null, fieldError: null, method: 'sms' as const, sent: true }
	}
	const method = form.get('method')
	if (!CODE_FACTORS.includes(method as CodeFactor) || !methods.includes(method as CodeFactor)) {
		return data<ActionResult>({ error: 'Choose one of the ways listed to verify.', fieldError: null, method: methods[0]! }, { status: 400 })
	}
	return verify(request, context, subject, method as CodeFactor, form.get('code'))
}

async function verify(request: Request, context: ActionFunctionArgs['context'], subject: SecondFactorSubject, method: CodeFactor, code: FormDataEntryValue | null) {
	const result = await verifyCodeFactor(context, subject, method, code, (tx) => completeSecondFactor(request, context, subject, method, tx))
	if (!result.ok) {
		const headers = new Headers(result.retryAfterSeconds ? { 'Retry-After': String(result.retryAfterSeconds) } : undefined)
		// A pending sign-in out of tries is over: the password (or link) is needed again.
		if (result.restart) headers.append('Set-Cookie', await clearPendingSignIn(context))
		const failed: ActionResult = result.status === 429 ? { error: result.message, fieldError: null, method } : { error: null, fieldError: result.message, method }
		return data(failed, { status: result.status, headers })
	}
	throw redirect(result.value.redirectTo, { headers: setCookies(result.value.setCookies) })
}

const CODE_FIELD: Record<CodeFactor, { label: string; hint: string; autoComplete: string; inputMode: 'numeric' | 'text' }> = {
	totp: { label: 'Code from your authenticator app', hint: 'The 6-digit code your app shows now.', autoComplete: 'one-time-code', inputMode: 'numeric' },
	sms: { label: 'Code from the text message', hint: 'The 6-digit code we texted you.', autoComplete: 'one-time-code', inputMode: 'numeric' },
	'backup-code': { label: 'Code from your backup codes', hint: 'One of the codes you saved, like abcde-12345. Each works once.', autoComplete: 'off', inputMode: 'text' },
}

export default function SecondFactorPage() {
	const page = useLoaderData<typeof loader>()
	const result = useActionData<ActionResult>()
	const submitting = useNavigation().state === 'submitting'
	const method = result?.method ?? page.method
	const others = page.methods.filter((candidate) => candidate !== method)
	const carry = (to: SecondFactorMethod) => `/login/mfa?${new URLSearchParams({ method: to, ...(page.redirectTo ? { redirectTo: page.redirectTo } : {}) })}`
	return (
		<AuthCard
			page="login-mfa"
			title={page.kind === 'sign-in' ? 'Two-step verification' : 'Confirm it’s you'}
			footer={
				page.kind === 'sign-in' ? (
					<Link className="text-link underline" to="/login">
						Sign in as someone else
					</Link>
				) : null
			}
		>
			{page.kind === 'step-up' ? <p className="mb-4 text-sm text-muted">For your security, verify again before you go on.</p> : null}
			{method === 'passkey' ? (
				<div className="flex flex-col gap-4">
					<p className="text-sm text-foreground">Use the passkey on this device or your phone.</p>
					<FormError errors={[result?.error]} />
					<PasskeyButton mode="second-factor" redirectTo={page.redirectTo || undefined} />
				</div>
			) : (
				<>
					{method === 'sms' ? (
						// Its own form, before the code's: Enter in the code field must verify, not send again.
						<Form method="POST" reloadDocument className="mb-4 text-sm text-foreground">
							<input type="hidden" name="redirectTo" value={page.redirectTo} />
							<p role={result?.sent ? 'status' : undefined}>
								{`${result?.sent ? 'We texted a code to' : 'We can text a code to'} your phone number ending in ${page.phoneEnding}. `}
								<button type="submit" name="intent" value="send-sms" className="text-link underline">
									{result?.sent ? 'Send a new code' : 'Send code'}
								</button>
							</p>
						</Form>
					) : null}
					<Form method="POST" reloadDocument className="flex flex-col gap-4">
						<FormError errors={[result?.error]} />
						<input type="hidden" name="method" value={method} />
						<input type="hidden" name="redirectTo" value={page.redirectTo} />
						<Field
							label={CODE_FIELD[method].label}
							hint={CODE_FIELD[method].hint}
							inputProps={{ name: 'code', required: true, autoFocus: true, autoComplete: CODE_FIELD[method].autoComplete, inputMode: CODE_FIELD[method].inputMode, spellCheck: false }}
							errors={result?.fieldError ? [result.fieldError] : undefined}
						/>
						{method === 'backup-code' ? <p className="-mt-2 text-xs text-muted">{page.backupCodesLeft} backup codes left.</p> : null}
						<Button type="submit" name="intent" value="verify" disabled={submitting}>
							Verify
						</Button>
					</Form>
				</>
			)}
			{others.length ? (
				<nav aria-label="Other ways to verify" className="mt-4 flex flex-col gap-1 border-t border-border pt-4 text-sm">
					{others.map((other) => (
						<Link key={other} className="text-link underline" to={carry(other)}>
							{SWITCH_TEXT[other]}
						</Link>
					))}
				</nav>
			) : null}
		</AuthCard>
	)
}

export { RouteErrorBoundary as ErrorBoundary } from '../../components/error-boundary'
