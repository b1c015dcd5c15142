import { type ReactNode } from 'react'

/** A short status line at the top of a card: what just happened, or what the page needs first. */
export function Notice({ children }: { children: ReactNode }) {
	return (
		<p role="status" className="mb-4 rounded-brand border border-border bg-background px-3 py-2 text-sm text-foreground">
			{children}
		</p>
	)
}
