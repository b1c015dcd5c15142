import { type InputHTMLAttributes, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react'
import { useHooks } from '../hosted-look'

export type ListOfErrors = Array<string | null | undefined> | null | undefined

export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
	const hook = useHooks()
	const list = errors?.filter(Boolean)
	if (!list?.length) return null
	return (
		<ul {...hook('error', 'field')} id={id} className="mt-1 flex flex-col gap-1 text-sm text-danger">
			{list.map((message) => (
				<li key={message}>{message}</li>
			))}
		</ul>
	)
}

/**
 * Ids and ARIA wiring shared by every field: the hint and the errors describe the control, and
 * these attributes go after Conform's spread so its aria-describedby never drops the hint.
 */
function useFieldAria(givenId: string | undefined, errors: ListOfErrors, hint: string | undefined, extraDescribedBy?: string) {
	const fallbackId = useId()
	const id = givenId ?? fallbackId
	const errorId = errors?.length ? `${id}-error` : undefined
	const hintId = hint ? `${id}-hint` : undefined
	const describedBy = [hintId, errorId, extraDescribedBy].filter(Boolean).join(' ') || undefined
	const aria = { id, 'aria-invalid': errorId ? true : undefined, 'aria-describedby': describedBy }
	return { id, errorId, hintId, aria }
}

type FieldChrome = { label: string; errors?: ListOfErrors; hint?: string }

function Hint({ id, hint, className = '' }: { id?: string; hint?: string; className?: string }) {
	return hint ? (
		<p id={id} className={`text-xs text-muted ${className}`}>
			{hint}
		</p>
	) : null
}

// Input outlines use their own token: ≥ 3:1 against page and card (WCAG 1.4.11), unlike dividers.
const controlClass = 'rounded-brand border border-input-border bg-background px-3 py-2 text-foreground focus-visible:outline-2 focus-visible:outline-ring'

/**
 * A labelled input with its errors announced to assistive technology. `extraDescribedBy` adds the
 * ids of elements rendered outside the field (e.g. a strength meter) after the hint and errors;
 * an `aria-describedby` inside `inputProps` is replaced, as Conform's would be.
 */
export function Field({
	label,
	inputProps,
	errors,
	hint,
	extraDescribedBy,
}: FieldChrome & { inputProps: InputHTMLAttributes<HTMLInputElement>; extraDescribedBy?: string }) {
	const { id, errorId, hintId, aria } = useFieldAria(inputProps.id, errors, hint, extraDescribedBy)
	const hook = useHooks()
	return (
		<div {...hook('field')} className="flex flex-col gap-1">
			<label htmlFor={id} className="text-sm font-medium text-foreground">
				{label}
			</label>
			<input className={`${controlClass} placeholder:text-muted`} {...inputProps} {...aria} />
			<Hint id={hintId} hint={hint} />
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}

/** A labelled textarea (one value a line). */
export function TextareaField({ label, textareaProps, errors, hint }: FieldChrome & { textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> }) {
	const { id, errorId, hintId, aria } = useFieldAria(textareaProps.id, errors, hint)
	const hook = useHooks()
	return (
		<div {...hook('field')} className="flex flex-col gap-1">
			<label htmlFor={id} className="text-sm font-medium text-foreground">
				{label}
			</label>
			<textarea rows={3} spellCheck={false} className={`${controlClass} font-mono text-sm`} {...textareaProps} {...aria} />
			<Hint id={hintId} hint={hint} />
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}

/** A labelled select; each option is its own label (role names, say), or `{ value, label }` where the two differ. */
export function SelectField({ label, selectProps, options, errors, hint }: FieldChrome & { selectProps: SelectHTMLAttributes<HTMLSelectElement>; options: readonly (string | { value: string; label: string })[] }) {
	const { id, errorId, hintId, aria } = useFieldAria(selectProps.id, errors, hint)
	const hook = useHooks()
	return (
		<div {...hook('field')} className="flex flex-col gap-1">
			<label htmlFor={id} className="text-sm font-medium text-foreground">
				{label}
			</label>
			<select className={controlClass} {...selectProps} {...aria}>
				{options.map((option) => {
					const { value, label: text } = typeof option === 'string' ? { value: option, label: option } : option
					return (
						<option key={value} value={value}>
							{text}
						</option>
					)
				})}
			</select>
			<Hint id={hintId} hint={hint} />
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}

/** A checkbox with its label beside it; the whole label is the click target. */
export function CheckboxField({ label, inputProps, errors, hint }: FieldChrome & { inputProps: InputHTMLAttributes<HTMLInputElement> }) {
	const { id, errorId, hintId, aria } = useFieldAria(inputProps.id, errors, hint)
	const hook = useHooks()
	return (
		<div {...hook('field')} className="flex flex-col gap-1">
			<div className="flex items-start gap-2">
				<input className="mt-1 h-4 w-4 accent-primary" {...inputProps} {...aria} type="checkbox" />
				<label htmlFor={id} className="text-sm text-foreground">
					{label}
				</label>
			</div>
			<Hint id={hintId} hint={hint} className="ml-6" />
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}

/** A form-level message (not tied to one field), e.g. "Email or password is incorrect". */
export function FormError({ id, errors }: { id?: string; errors?: ListOfErrors }) {
	const hook = useHooks()
	const list = errors?.filter(Boolean)
	if (!list?.length) return null
	return (
		<div {...hook('error', 'form')} id={id} role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
			{list.map((message) => (
				<p key={message}>{message}</p>
			))}
		</div>
	)
}
