import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser'

/**
 * The browser half of the passkey ceremonies: ask the server for options, run WebAuthn, send the
 * result back. Every outcome is a value (never a throw), with a message fit to show the user.
 */
export type CeremonyOutcome =
	| { ok: true; redirectTo: string }
	/** `stage`: where it failed: asking for options, in the browser's prompt, or when the server checked the answer. */
	| { ok: false; message: string; stage: 'options' | 'browser' | 'server'; redirectTo?: string; aborted?: boolean }

type Answer = { status: number; body: Record<string, unknown> }

async function postJson(path: string, body: unknown): Promise<Answer> {
	const response = await fetch(path, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify(body),
		credentials: 'same-origin',
	})
	let parsed: unknown = null
	try {
		parsed = await response.json()
	} catch {
		parsed = null
	}
	return { status: response.status, body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {} }
}

const NETWORK = 'Could not reach the server. Check your connection and try again.'

function refused(answer: Answer, fallback: string, stage: 'options' | 'server'): CeremonyOutcome {
	const message = typeof answer.body.error === 'string' ? answer.body.error : fallback
	const redirectTo = typeof answer.body.redirectTo === 'string' ? answer.body.redirectTo : undefined
	return { ok: false, message, redirectTo, stage }
}

function browserFailure(error: unknown, ceremony: 'create' | 'get'): CeremonyOutcome {
	const name = error instanceof Error ? error.name : ''
	const code = error instanceof WebAuthnError ? error.code : null
	if (code === 'ERROR_CEREMONY_ABORTED' || name === 'AbortError') return { ok: false, stage: 'browser', aborted: true, message: 'The passkey request was cancelled.' }
	if (name === 'NotAllowedError') return { ok: false, stage: 'browser', message: 'The passkey prompt was closed or timed out. Try again.' }
	if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || (ceremony === 'create' && name === 'InvalidStateError')) {
		return { ok: false, stage: 'browser', message: 'This device already has a passkey for your account here.' }
	}
	return { ok: false, stage: 'browser', message: ceremony === 'create' ? 'Your browser could not create a passkey here.' : 'Your browser could not use a passkey here.' }
}

function nextPath(answer: Answer, fallback: string) {
	return typeof answer.body.redirectTo === 'string' ? answer.body.redirectTo : fallback
}

/** Signs in (or passes a second factor) with a passkey. `autofill` runs conditional mediation. */
export async function authenticateWithPasskey(input: {
	mode: 'sign-in' | 'second-factor'
	redirectTo?: string
	autofill?: boolean
	/** Called once the options (and their challenge cookie) have arrived; false stops before the prompt. */
	beforePrompt?: () => boolean
}): Promise<CeremonyOutcome> {
	try {
		const options = await postJson('/passkeys/authentication-options', { mode: input.mode, redirectTo: input.redirectTo || undefined })
		if (options.status !== 200) return refused(options, 'Passkeys are not available right now.', 'options')
		if (input.beforePrompt && !input.beforePrompt()) return { ok: false, stage: 'options', aborted: true, message: 'The passkey request was cancelled.' }
		let response
		try {
			response = await startAuthentication({ optionsJSON: options.body.options as Parameters<typeof startAuthentication>[0]['optionsJSON'], useBrowserAutofill: input.autofill })
		} catch (error) {
			return browserFailure(error, 'get')
		}
		const verified = await postJson('/passkeys/authentication', { mode: input.mode, response, redirectTo: input.redirectTo || undefined })
		if (verified.status !== 200) return refused(verified, 'That passkey could not be verified. Try again.', 'server')
		return { ok: true, redirectTo: nextPath(verified, '/account') }
	} catch {
		return { ok: false, stage: 'server', message: NETWORK }
	}
}

/** Creates a passkey for the signed-in user and registers it. */
export async function registerPasskey(input: { name?: string; redirectTo?: string }): Promise<CeremonyOutcome> {
	try {
		const options = await postJson('/passkeys/registration-options', {})
		if (options.status !== 200) return refused(options, 'Passkeys are not available right now.', 'options')
		let response
		try {
			response = await startRegistration({ optionsJSON: options.body.options as Parameters<typeof startRegistration>[0]['optionsJSON'] })
		} catch (error) {
			return browserFailure(error, 'create')
		}
		const verified = await postJson('/passkeys/registration', { response, name: input.name || undefined, redirectTo: input.redirectTo || undefined })
		if (verified.status !== 200) return refused(verified, 'The passkey could not be added. Try again.', 'server')
		return { ok: true, redirectTo: nextPath(verified, '/account/passkeys') }
	} catch {
		return { ok: false, stage: 'server', message: NETWORK }
	}
}
