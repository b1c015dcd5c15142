import { Link, NavLink } from '@remix-run/react'
import { type ReactNode } from 'react'
import { GeneralErrorBoundary } from './error-boundary'

const navClass = ({ isActive }: { isActive: boolean }) => `rounded-brand px-3 py-1.5 text-sm font-medium ${isActive ? 'bg-background text-foreground' : 'text-muted hover:text-foreground'}`

/** The frame of the consoles (/admin, /operator): a title, a nav, who is signed in, the page. */
export function ConsoleLayout({ title, subtitle, nav, email, children }: { title: string; subtitle: string; nav: { to: string; label: string }[]; email: string; children: ReactNode }) {
	return (
		<div className="min-h-screen">
			{/* The first tab stop: keyboard users skip the nav (a dozen links) on every page. */}
			<a
				href="#main"
				className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-10 focus:rounded-brand focus:bg-surface focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-foreground focus:outline-2 focus:outline-ring"
			>
				Skip to content
			</a>
			<header className="border-b border-border bg-surface">
				<div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
					<p className="font-semibold">
						{title} <span className="font-normal text-muted">· {subtitle}</span>
					</p>
					<nav aria-label={subtitle} className="flex flex-wrap gap-1">
						{nav.map((item) => (
							<NavLink key={item.to} to={item.to} className={navClass}>
								{item.label}
							</NavLink>
						))}
					</nav>
					<p className="ml-auto text-sm text-muted">
						<span className="sr-only">Signed in as </span>
						<span className="break-all">{email}</span> ·{' '}
						<Link className="text-link underline" to="/account">
							Your account
						</Link>
					</p>
				</div>
			</header>
			{/* tabIndex -1: the skip link moves focus here, so the next Tab is the page's first control. */}
			<main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-8 focus:outline-none">
				{children}
			</main>
		</div>
	)
}

/** A console's error page: a 403 says who the console is for and leads back to the account. */
export function ConsoleErrorBoundary({ forbidden }: { forbidden: string }) {
	return (
		<main className="mx-auto max-w-md px-4 py-16">
			<GeneralErrorBoundary
				statusHandlers={{
					403: () => (
						<>
							<p>{forbidden}</p>
							<p className="mt-2">
								<Link className="text-link underline" to="/account">
									Back to your account
								</Link>
							</p>
						</>
					),
				}}
			/>
		</main>
	)
}

/** A console detail page's error page: its 404 says what was not found and leads back to the list. */
export function ConsoleNotFoundBoundary({ what, backTo, backLabel }: { what: string; backTo: string; backLabel: string }) {
	return (
		<GeneralErrorBoundary
			statusHandlers={{
				404: ({ error }) => (
					<>
						<p>{typeof error.data === 'string' && error.data ? error.data : `We couldn't find that ${what}.`}</p>
						<p className="mt-2">
							<Link className="text-link underline" to={backTo}>
								{backLabel}
							</Link>
						</p>
					</>
				),
			}}
		/>
	)
}
