import { type ReactNode } from 'react'
import { useHooks, useHostedLook } from '../hosted-look'

/** The name each hosted page carries in `data-foyer-page` (a stable hook for custom CSS). */
export type HostedPage =
	| 'login'
	| 'login-link'
	| 'login-code'
	| 'login-mfa'
	| 'signup'
	| 'forgot-password'
	| 'verify'
	| 'invitation'
	| 'consent'
	| 'account'
	| 'account-security'
	| 'account-authenticator'
	| 'account-passkeys'
	| 'account-password'
	| 'account-email'
	| 'account-phone'
	| 'account-sessions'
	| 'account-delete'
	| 'error'

/**
 * The hosted login's frame: the org's logo or name, one card, the org's footer, in the layout of
 * its theme, and nothing that names the vendor unless the org turned "Secured by" on.
 */
export function AuthCard({
	page,
	title,
	subtext,
	children,
	footer,
}: {
	page: HostedPage
	title: string
	/** A line under the heading (the org's sign-in subtext). */
	subtext?: string | null
	children: ReactNode
	/** Links under the card: "New here? Create an account". */
	footer?: ReactNode
}) {
	const hook = useHooks()
	return (
		<HostedFrame page={page} footer={footer}>
			<h1 {...hook('title')} className={`${subtext ? 'mb-2' : 'mb-5'} text-lg font-semibold text-foreground`}>
				{title}
			</h1>
			{subtext ? (
				<p {...hook('subtext')} className="mb-5 text-sm text-muted">
					{subtext}
				</p>
			) : null}
			{children}
		</HostedFrame>
	)
}

/** The layout around a card's content (the error pages use it without AuthCard's heading). */
export function HostedFrame({ page, children, footer, role }: { page: HostedPage; children: ReactNode; footer?: ReactNode; role?: 'alert' }) {
	const hook = useHooks()
	const layout = useHostedLook()?.layout ?? 'centered'
	const fullBleed = layout === 'full-bleed'
	const cardFooter = footer ? (
		<div {...hook('card-footer')} className={fullBleed ? 'mt-6 border-t border-border pt-4 text-sm text-muted' : 'mt-6 text-sm text-muted'}>
			{footer}
		</div>
	) : null
	const card = (
		<section {...hook('card')} role={role} className={`w-full max-w-sm rounded-brand-card border border-border bg-surface p-6 ${fullBleed ? 'shadow-xl' : 'shadow-sm'}`}>
			{fullBleed ? <BrandMark className="mb-6" /> : null}
			{children}
			{fullBleed ? cardFooter : null}
			{fullBleed ? <OrgFooter className="mt-6 border-t border-border pt-4" /> : null}
		</section>
	)
	if (fullBleed) {
		return (
			<div {...hook('page', page)} className="flex min-h-screen flex-col items-center justify-center bg-linear-to-br from-primary to-primary-hover px-4 py-12">
				<main className="flex w-full justify-center">{card}</main>
			</div>
		)
	}
	const column = (
		<>
			<main className="flex w-full flex-col items-center">
				{layout === 'centered' ? <BrandMark className="mb-6" /> : null}
				{card}
				{cardFooter}
			</main>
			<OrgFooter className="mt-10" />
		</>
	)
	if (layout === 'split') {
		return (
			<div {...hook('page', page)} className="min-h-screen md:grid md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
				<div {...hook('panel')} className="flex items-center justify-center bg-primary px-6 py-10 text-primary-foreground md:min-h-screen md:px-12">
					<BrandMark onPanel />
				</div>
				<div className="flex flex-col items-center justify-center px-4 py-12">{column}</div>
			</div>
		)
	}
	return (
		<div {...hook('page', page)} className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
			{column}
		</div>
	)
}

/**
 * The org's logo (alt: its display name), else its display name as text. With both logos and
 * "follow the system", the browser picks by `prefers-color-scheme`, as the colours do (look.server.ts).
 */
function BrandMark({ className = '', onPanel = false }: { className?: string; onPanel?: boolean }) {
	const look = useHostedLook()
	const hook = useHooks()
	if (!look) return null
	if (!look.logo) {
		return (
			<p {...hook('name')} className={`${onPanel ? 'text-2xl text-primary-foreground' : 'text-xl text-foreground'} text-center font-semibold ${className}`}>
				{look.displayName}
			</p>
		)
	}
	// On the brand panel the logo sits on the card colour, which its light/dark variant was made for.
	return (
		<div className={`${onPanel ? 'rounded-brand-card bg-surface p-4 shadow-sm' : ''} ${className}`}>
			<picture {...hook('logo')}>
				{look.logo.darkSrc ? <source media="(prefers-color-scheme: dark)" srcSet={look.logo.darkSrc} /> : null}
				<img src={look.logo.src} alt={look.displayName} className="h-12 w-auto max-w-56 object-contain" />
			</picture>
		</div>
	)
}

/** The org's footer text, its terms, privacy and support links, and "Secured by" when turned on. */
function OrgFooter({ className }: { className: string }) {
	const look = useHostedLook()
	const hook = useHooks()
	if (!look || (!look.texts.footerText && look.links.length === 0 && !look.securedBy)) return null
	return (
		<footer {...hook('footer')} className={`flex w-full max-w-sm flex-col items-center gap-2 text-center text-sm text-muted ${className}`}>
			{look.texts.footerText ? <p>{look.texts.footerText}</p> : null}
			{look.links.length ? (
				<nav aria-label="Policies and help">
					<ul className="flex flex-wrap justify-center gap-x-4 gap-y-1">
						{look.links.map((link) => (
							<li key={link.id}>
								{/* Same tab, and the org's site gets no handle on this page. */}
								<a {...hook('link', link.id)} href={link.href} rel="noopener" className="text-link underline">
									{link.label}
								</a>
							</li>
						))}
					</ul>
				</nav>
			) : null}
			{look.securedBy ? (
				<p {...hook('secured-by')} className="text-xs">
					Secured by Foyer
				</p>
			) : null}
		</footer>
	)
}
