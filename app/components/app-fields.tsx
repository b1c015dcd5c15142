import { type InputHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react'
import { ErrorList, type ListOfErrors } from './ui/field'

/** A labelled textarea (one value a line), errors announced like Field's. */
export function TextareaField({ label, textareaProps, errors, hint }: { label: string; textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement>; errors?: ListOfErrors; hint?: string }) {
	const fallbackId = useId()
	const id = textareaProps.id ?? fallbackId
	const errorId = errors?.length ? `${id}-error` : undefined
	const hintId = hint ? `${id}-hint` : undefined
	return (
		<div className="flex flex-col gap-1">
			<label htmlFor={id} className="text-sm font-medium text-foreground">
				{label}
			</label>
			{/* Our aria attributes win over Conform's, which would drop the hint from the description. */}
			<textarea
				rows={3}
				spellCheck={false}
				className="rounded-brand border border-border bg-background px-3 py-2 font-mono text-sm text-foreground focus-visible:outline-2 focus-visible:outline-ring"
				{...textareaProps}
				id={id}
				aria-invalid={errorId ? true : undefined}
				aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
			/>
			{hint ? (
				<p id={hintId} className="text-xs text-muted">
					{hint}
				</p>
			) : null}
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}

/** A checkbox with its label beside it; the whole label is the click target. */
export function CheckboxField({ label, inputProps, errors, hint }: { label: string; inputProps: InputHTMLAttributes<HTMLInputElement>; errors?: ListOfErrors; hint?: string }) {
	const fallbackId = useId()
	const id = inputProps.id ?? fallbackId
	const errorId = errors?.length ? `${id}-error` : undefined
	const hintId = hint ? `${id}-hint` : undefined
	return (
		<div className="flex flex-col gap-1">
			<div className="flex items-start gap-2">
				<input
					className="mt-1 h-4 w-4 accent-primary"
					{...inputProps}
					id={id}
					type="checkbox"
					aria-invalid={errorId ? true : undefined}
					aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
				/>
				<label htmlFor={id} className="text-sm text-foreground">
					{label}
				</label>
			</div>
			{hint ? (
				<p id={hintId} className="ml-6 text-xs text-muted">
					{hint}
				</p>
			) : null}
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}
