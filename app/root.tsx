import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from '@remix-run/react'
import { type ReactNode } from 'react'
import { hostedLook } from './modules/branding/look.server'
import { brandingCssFor } from './modules/branding/theme-css.server'
import tailwindHref from './styles/tailwind.css'
import { useNonce } from './utils/nonce'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: tailwindHref }]

/** Every page reads the org's published branding (never a draft): its tokens, name, logo, layout and texts. */
export async function loader({ context }: LoaderFunctionArgs) {
	const { org } = context
	return json({
		org: { name: org.name, slug: org.slug, isOperator: org.isOperator },
		css: brandingCssFor(org.branding.document),
		look: hostedLook(org),
	})
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.look.displayName ?? 'Sign in' }]

export function Layout({ children }: { children: ReactNode }) {
	const data = useRouteLoaderData<typeof loader>('root')
	const nonce = useNonce()
	return (
		<html lang="en">
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="referrer" content="strict-origin-when-cross-origin" />
				<Meta />
				{data ? <link rel="icon" href={data.look.icon.href} type={data.look.icon.type} /> : null}
				<Links />
				{/* The org's tokens as CSS variables; inline so the first paint is already branded. Built
				    from parsed colours and fixed tables only (tokens.ts), so no admin text reaches it. */}
				{data ? <style nonce={nonce} dangerouslySetInnerHTML={{ __html: data.css }} /> : null}
				{/* The published version's custom CSS (sanitized and scoped at publish), after ours so it wins. */}
				{data?.look.stylesheet ? <link rel="stylesheet" href={data.look.stylesheet} /> : null}
			</head>
			<body className="min-h-screen bg-background font-brand text-foreground antialiased">
				{children}
				<ScrollRestoration nonce={nonce} />
				<Scripts nonce={nonce} />
			</body>
		</html>
	)
}

export default function App() {
	return <Outlet />
}

export { RouteErrorBoundary as ErrorBoundary } from './components/error-boundary'
