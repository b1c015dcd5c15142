import { type ChangeEvent, type InputHTMLAttributes, useEffect, useId, useRef, useState } from 'react'
import {
	STRENGTH_SEGMENTS,
	createStrengthChecker,
	mergeDescribedBy,
	missingCharactersText,
	strengthFeedback,
	strengthLevel,
	strengthUserInputs,
	type StrengthChecker,
	type StrengthScore,
} from './password-strength-logic'
import { Field, type ListOfErrors } from './ui/field'

/*
 * A new-password field with an advisory strength meter. The meter:
 * - appears only once JavaScript runs, so without it the page has a plain password field
 * - loads zxcvbn (about 1 MB of dictionaries) on the first keystroke, never on the server
 * - scores 150 ms after typing stops, with the user's own words (email, org name) counted as guessable
 * - announces its label politely and describes the input; the server still enforces the policy
 */

const DEBOUNCE_MS = 150

let loadingChecker: Promise<StrengthChecker> | undefined

function loadStrengthChecker(): Promise<StrengthChecker> {
	loadingChecker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')])
		.then(([core, common]) => createStrengthChecker(core, common))
		.catch((error: unknown) => {
			// Let the next keystroke retry (a flaky network) instead of leaving the meter dead.
			loadingChecker = undefined
			throw error
		})
	return loadingChecker
}

export type NewPasswordFieldProps = {
	/** @default 'Password' */
	label?: string
	/** From Conform's `getInputProps(fields.password, { type: 'password' })`; type and autoComplete are set here. */
	inputProps: InputHTMLAttributes<HTMLInputElement> & { key?: string }
	errors?: ListOfErrors
	hint?: string
	/** The org's minimum length; the meter counts down to it. */
	minLength: number
	/** Words that make a password guessable for this user: their email (or its local part), the org's name. */
	userInputs?: ReadonlyArray<string | null | undefined>
}

export function NewPasswordField({ inputProps, ...props }: NewPasswordFieldProps) {
	// Conform changes the key when it resets the field; the meter resets with it.
	const { key: resetKey, ...controlProps } = inputProps
	const fallbackId = useId()
	const [enhanced, setEnhanced] = useState(false)
	useEffect(() => setEnhanced(true), [])
	return <StrengthField key={resetKey} {...props} inputProps={{ ...controlProps, id: controlProps.id ?? fallbackId }} enhanced={enhanced} />
}

type Result = { score: StrengthScore; feedback: string[] }

function StrengthField({
	label = 'Password',
	inputProps,
	errors,
	hint,
	minLength,
	userInputs = [],
	enhanced,
}: Omit<NewPasswordFieldProps, 'inputProps'> & { inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string }; enhanced: boolean }) {
	const { id, onChange } = inputProps
	// Debounced: what zxcvbn scores and the meter describes.
	const [password, setPassword] = useState('')
	const [result, setResult] = useState<Result | null>(null)
	const timer = useRef<ReturnType<typeof setTimeout>>()
	// A string, so a new array with the same words each render does not rescore.
	const contextKey = strengthUserInputs(userInputs).join('\n')

	useEffect(() => {
		// Typing or autofill may have happened before hydration, when no change handler ran.
		const input = document.getElementById(id)
		if (input instanceof HTMLInputElement && input.value) setPassword(input.value)
		return () => clearTimeout(timer.current)
	}, [id])

	useEffect(() => {
		if (!password) {
			setResult(null)
			return
		}
		let current = true
		loadStrengthChecker().then(
			(check) => {
				if (!current) return
				const { score, feedback } = check(password, contextKey ? contextKey.split('\n') : [])
				setResult({ score, feedback: strengthFeedback(feedback) })
			},
			// Advisory only: without zxcvbn the meter keeps counting characters and the server checks the policy.
			() => {},
		)
		return () => {
			current = false
		}
	}, [password, contextKey])

	function handleChange(event: ChangeEvent<HTMLInputElement>) {
		onChange?.(event)
		const { value } = event.currentTarget
		clearTimeout(timer.current)
		timer.current = setTimeout(() => setPassword(value), DEBOUNCE_MS)
	}

	const labelId = `${id}-strength`
	const lengthId = `${id}-strength-length`
	const feedbackId = `${id}-strength-feedback`
	const missing = password ? missingCharactersText(password, minLength) : null
	const shown = password ? result : null
	const level = shown ? strengthLevel(shown.score, { tooShort: missing !== null }) : null

	return (
		<div className="flex flex-col gap-1.5">
			<Field
				label={label}
				hint={hint}
				errors={errors}
				inputProps={{ ...inputProps, type: 'password', autoComplete: 'new-password', onChange: handleChange }}
				extraDescribedBy={enhanced ? mergeDescribedBy(labelId, lengthId, feedbackId) : undefined}
			/>
			{enhanced ? (
				<div className="flex flex-col gap-1">
					<div aria-hidden="true" className="flex gap-1">
						{Array.from({ length: STRENGTH_SEGMENTS }, (_, index) => (
							<span
								key={index}
								className={`h-1.5 flex-1 rounded-full transition-colors ${level && index < level.segments ? level.barClass : 'bg-border'}`}
							/>
						))}
					</div>
					<div className="flex justify-between gap-2 text-xs">
						<p id={labelId} aria-live="polite" className={`font-medium ${level?.textClass ?? 'text-muted'}`}>
							{level ? (
								<>
									<span className="sr-only">Password strength: </span>
									{level.label}
									{missing ? <span className="sr-only"> (too short)</span> : null}
								</>
							) : null}
						</p>
						<p id={lengthId} className="text-muted">
							{missing}
						</p>
					</div>
					<ul id={feedbackId} className="flex flex-col text-xs text-muted">
						{(shown?.feedback ?? []).map((message) => (
							<li key={message}>{message}</li>
						))}
					</ul>
				</div>
			) : null}
		</div>
	)
}
