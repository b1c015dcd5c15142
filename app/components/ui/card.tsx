import { type ReactNode } from 'react'

/** The hosted login's frame: the org's name on top, one card, nothing that names the vendor. */
export function AuthCard({ orgName, title, children, footer }: { orgName: string; title: string; children: ReactNode; footer?: ReactNode }) {
	return (
		<main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
			<p className="mb-6 text-xl font-semibold text-foreground">{orgName}</p>
			<section className="w-full max-w-sm rounded-brand border border-border bg-surface p-6 shadow-sm">
				<h1 className="mb-5 text-lg font-semibold text-foreground">{title}</h1>
				{children}
			</section>
			{footer ? <div className="mt-6 text-sm text-muted">{footer}</div> : null}
		</main>
	)
}
