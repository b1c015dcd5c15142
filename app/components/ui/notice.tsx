import { type ReactNode } from 'react'
import { useHooks } from '../hosted-look'

/** A short status line at the top of a card: what just happened, or what the page needs first. */
export function Notice({ children }: { children: ReactNode }) {
	const hook = useHooks()
	return (
		<p {...hook('notice')} role="status" className="mb-4 rounded-brand border border-border bg-background px-3 py-2 text-sm text-foreground">
			{children}
		</p>
	)
}
