import { browserSupportsWebAuthn } from '@simplewebauthn/browser'
import { useEffect, useState, type FormEvent } from 'react'
import { registerPasskey } from './passkey-client'
import { Button } from './ui/button'
import { Field } from './ui/field'

/**
 * "Add a passkey": an optional name, then the browser's prompt to create one. Creating a passkey
 * needs JavaScript by nature, so without it (or without WebAuthn) the form says so instead.
 */
export function PasskeyRegister({ redirectTo, maxNameLength }: { redirectTo?: string; maxNameLength: number }) {
	const [supported, setSupported] = useState<boolean | null>(null)
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	useEffect(() => setSupported(browserSupportsWebAuthn()), [])

	if (!supported) {
		return (
			<p className="text-sm text-muted">
				{supported === false ? 'This browser cannot create passkeys.' : 'Adding a passkey needs JavaScript in this browser.'}
			</p>
		)
	}

	const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
		event.preventDefault()
		const name = new FormData(event.currentTarget).get('name')
		setBusy(true)
		setError(null)
		const outcome = await registerPasskey({ name: typeof name === 'string' ? name.trim() : undefined, redirectTo })
		if (outcome.ok || outcome.redirectTo) return window.location.assign(outcome.redirectTo ?? '/account/passkeys')
		setBusy(false)
		setError(outcome.message)
	}

	return (
		<form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Add a passkey">
			{error ? (
				<p role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
					{error}
				</p>
			) : null}
			<Field
				label="Name for the new passkey"
				hint="Optional, e.g. “Work laptop”. You can change it later."
				inputProps={{ name: 'name', maxLength: maxNameLength, autoComplete: 'off' }}
			/>
			<Button type="submit" disabled={busy} aria-busy={busy}>
				Add a passkey
			</Button>
		</form>
	)
}
