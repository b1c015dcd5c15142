import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, WebAuthnAbortService } from '@simplewebauthn/browser'
import { useEffect, useRef, useState } from 'react'
import { authenticateWithPasskey, type CeremonyOutcome } from './passkey-client'
import { Button } from './ui/button'

type Props = {
	/** `sign-in`: passwordless, any passkey of this org; `second-factor`: the pending sign-in's or signed-in user's. */
	mode: 'sign-in' | 'second-factor'
	/** Where to go after signing in (a same-site path); the server has the last word. */
	redirectTo?: string
	/** @default 'Sign in with a passkey' (sign-in) or 'Use a passkey' (second factor) */
	label?: string
	/**
	 * Also offer passkeys in the browser's autofill (conditional mediation), started on mount where
	 * the browser supports it. The page needs an input with `autoComplete="username webauthn"`.
	 * @default false
	 */
	autofill?: boolean
}

/** The autofill request in progress: a click stops it, once its options (and challenge cookie) are in. */
type AutofillRun = { stopped: boolean; optionsIn: Promise<void> }

/**
 * A passkey button: options from the server, the browser's prompt, the answer back, then on to
 * where the server says. Rendered only once JavaScript runs and WebAuthn exists (it can do
 * nothing without them); failures and cancels are announced in an alert beside it.
 */
export function PasskeyButton({ mode, redirectTo, label, autofill = false }: Props) {
	const [supported, setSupported] = useState(false)
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const mounted = useRef(true)
	const autofillRun = useRef<AutofillRun | null>(null)

	const settle = (outcome: CeremonyOutcome) => {
		if (outcome.ok) return window.location.assign(outcome.redirectTo)
		if (outcome.redirectTo) return window.location.assign(outcome.redirectTo)
		if (!mounted.current) return
		setBusy(false)
		setError(outcome.message)
	}

	useEffect(() => {
		mounted.current = true
		setSupported(browserSupportsWebAuthn())
		return () => {
			mounted.current = false
		}
	}, [])

	useEffect(() => {
		if (!autofill || mode !== 'sign-in') return
		let optionsArrived = () => {}
		const run: AutofillRun = { stopped: false, optionsIn: new Promise<void>((resolve) => (optionsArrived = resolve)) }
		autofillRun.current = run
		void (async () => {
			if (!(await browserSupportsWebAuthnAutofill()) || run.stopped) return optionsArrived()
			const outcome = await authenticateWithPasskey({
				mode,
				redirectTo,
				autofill: true,
				beforePrompt: () => {
					optionsArrived()
					return !run.stopped
				},
			})
			optionsArrived()
			// Autofill waits quietly in the background: only a passkey the user picked and the server
			// refused is worth a message (not a stop, a cancel, or a browser without a usable prompt).
			if (run.stopped || (!outcome.ok && outcome.stage !== 'server')) return
			settle(outcome)
		})()
		return () => {
			run.stopped = true
			optionsArrived()
			WebAuthnAbortService.cancelCeremony()
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps -- started once per page, like the browser's own autofill
	}, [autofill, mode])

	if (!supported) return null

	const onClick = async () => {
		setBusy(true)
		setError(null)
		const run = autofillRun.current
		if (run) {
			// One challenge cookie at a time: let the autofill's options land first, so ours replaces them.
			run.stopped = true
			await run.optionsIn
		}
		settle(await authenticateWithPasskey({ mode, redirectTo }))
	}

	return (
		<div className="flex flex-col gap-2">
			{error ? (
				<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
					{error}
				</p>
			) : null}
			<Button type="button" variant="secondary" onClick={onClick} disabled={busy} aria-busy={busy}>
				{label ?? (mode === 'sign-in' ? 'Sign in with a passkey' : 'Use a passkey')}
			</Button>
		</div>
	)
}
