import { type InputHTMLAttributes, useId } from 'react'

export type ListOfErrors = Array<string | null | undefined> | null | undefined

export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
	const list = errors?.filter(Boolean)
	if (!list?.length) return null
	return (
		<ul id={id} className="mt-1 flex flex-col gap-1 text-sm text-danger">
			{list.map((message) => (
				<li key={message}>{message}</li>
			))}
		</ul>
	)
}

/** A labelled input with its errors announced to assistive technology. */
export function Field({ label, inputProps, errors, hint }: { label: string; inputProps: InputHTMLAttributes<HTMLInputElement>; errors?: ListOfErrors; hint?: string }) {
	const fallbackId = useId()
	const id = inputProps.id ?? fallbackId
	const errorId = errors?.length ? `${id}-error` : undefined
	const hintId = hint ? `${id}-hint` : undefined
	return (
		<div className="flex flex-col gap-1">
			<label htmlFor={id} className="text-sm font-medium text-foreground">
				{label}
			</label>
			<input
				className="rounded-brand border border-border bg-background px-3 py-2 text-foreground placeholder:text-muted focus-visible:outline-2 focus-visible:outline-ring"
				{...inputProps}
				// After the spread: Conform's own aria-describedby must not drop the hint.
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

/** A form-level message (not tied to one field), e.g. "Email or password is incorrect". */
export function FormError({ id, errors }: { id?: string; errors?: ListOfErrors }) {
	const list = errors?.filter(Boolean)
	if (!list?.length) return null
	return (
		<div id={id} role="alert" className="rounded-brand bg-danger-surface px-3 py-2 text-sm text-danger-foreground">
			{list.map((message) => (
				<p key={message}>{message}</p>
			))}
		</div>
	)
}
