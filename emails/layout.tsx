import { Body, Button, Container, Head, Heading, Html, Img, Link, Preview, Section, Text } from '@react-email/components'
import type { CSSProperties, ReactNode } from 'react'

/*
 * The one frame every Foyer email shares, plus the few blocks templates build from. Styles
 * are inline because most email clients drop <style>; colours come in as props, derived from
 * the same theme tokens as the org's pages (app/modules/email/brand.server.ts).
 */

/** An org's look, resolved to plain values an email can inline. */
export type EmailBrand = {
	orgName: string
	/** Absolute http(s) URL; null shows the org name as a wordmark instead. */
	logoUrl: string | null
	primary: string
	primaryForeground: string
	background: string
	surface: string
	foreground: string
	muted: string
	border: string
	link: string
	fontFamily: string
}

/**
 * The wording an org may replace, per template: the subject, the heading, the paragraph before the
 * call to action, and the button's label (templates without a button have none). Everything else
 * (the preview line, notes on expiry and "if this wasn't you", codes, links, the footer) is
 * Foyer's, so a template upgrade reaches every org, customised or not.
 */
export type EmailTexts = { subject: string; heading: string; intro: string; button?: string }

const RADIUS = '8px'
const MONOSPACE = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', 'Courier New', monospace"

type LayoutProps = {
	brand: EmailBrand
	/** The inbox preview line. Never a code or a link: previews show on lock screens. */
	preview: string
	heading: string
	/** Why the recipient got this email; completes the footer after "You received this email from <org>." */
	reason: string
	children: ReactNode
}

export function Layout({ brand, preview, heading, reason, children }: LayoutProps) {
	return (
		<Html lang="en" dir="ltr">
			<Head>
				<title>{heading}</title>
			</Head>
			<Body style={{ backgroundColor: brand.background, color: brand.foreground, fontFamily: brand.fontFamily, margin: 0, padding: '32px 12px' }}>
				<Preview>{preview}</Preview>
				<Container style={{ maxWidth: '560px', margin: '0 auto' }}>
					<Section style={{ padding: '0 4px 20px' }}>
						{brand.logoUrl ? (
							<Img src={brand.logoUrl} alt={brand.orgName} height="40" style={{ height: '40px', width: 'auto', maxWidth: '240px' }} />
						) : (
							<Text style={{ color: brand.foreground, fontSize: '20px', lineHeight: '28px', fontWeight: 700, margin: 0 }}>{brand.orgName}</Text>
						)}
					</Section>
					<Section
						style={{
							backgroundColor: brand.surface,
							border: `1px solid ${brand.border}`,
							// The brand accent, so even an email without a button (a bare code) carries the colour.
							borderTop: `4px solid ${brand.primary}`,
							borderRadius: RADIUS,
							padding: '32px 28px',
						}}
					>
						<Heading as="h1" style={{ color: brand.foreground, fontSize: '22px', lineHeight: '30px', fontWeight: 700, margin: '0 0 16px' }}>
							{heading}
						</Heading>
						{children}
					</Section>
					<Section style={{ padding: '20px 4px 0' }}>
						<Text style={{ color: brand.muted, fontSize: '13px', lineHeight: '20px', margin: 0 }}>
							{`You received this email from ${brand.orgName}. ${reason}`}
						</Text>
					</Section>
				</Container>
			</Body>
		</Html>
	)
}

export function Paragraph({ brand, children }: { brand: EmailBrand; children: ReactNode }) {
	return <Text style={{ color: brand.foreground, fontSize: '16px', lineHeight: '26px', margin: '0 0 16px' }}>{children}</Text>
}

/** Secondary text: expiry, "if this wasn't you". */
export function Note({ brand, children }: { brand: EmailBrand; children: ReactNode }) {
	return <Text style={{ color: brand.muted, fontSize: '14px', lineHeight: '22px', margin: '0 0 12px' }}>{children}</Text>
}

export function InlineLink({ brand, href, children }: { brand: EmailBrand; href: string; children: ReactNode }) {
	return (
		<Link href={href} style={{ color: brand.link, textDecoration: 'underline' }}>
			{children}
		</Link>
	)
}

/**
 * The call to action, with the URL written out under it for clients that block buttons or
 * readers who want to see where it goes. The written-out copy is skipped in the plain-text
 * part, where the button already prints as "label URL".
 */
export function ActionButton({ brand, href, children }: { brand: EmailBrand; href: string; children: ReactNode }) {
	const button: CSSProperties = {
		backgroundColor: brand.primary,
		color: brand.primaryForeground,
		borderRadius: '6px',
		padding: '12px 22px',
		fontSize: '16px',
		lineHeight: '24px',
		fontWeight: 600,
		textDecoration: 'none',
	}
	return (
		<>
			<Section style={{ margin: '8px 0 16px' }}>
				<Button href={href} style={button}>
					{children}
				</Button>
			</Section>
			<Section data-skip-in-text="true" style={{ margin: '0 0 20px' }}>
				<Text style={{ color: brand.muted, fontSize: '13px', lineHeight: '20px', margin: 0 }}>
					If the button doesn&apos;t work, copy this link into your browser:
				</Text>
				<Text style={{ fontSize: '13px', lineHeight: '20px', margin: '4px 0 0', wordBreak: 'break-all' }}>
					<Link href={href} style={{ color: brand.link, textDecoration: 'underline' }}>
						{href}
					</Link>
				</Text>
			</Section>
		</>
	)
}

/** A one-time code: large, monospace and spaced out so it is easy to read and retype. */
export function CodeBox({ brand, code, label = 'Code' }: { brand: EmailBrand; code: string; label?: string }) {
	return (
		<Section
			style={{ backgroundColor: brand.background, border: `1px solid ${brand.border}`, borderRadius: RADIUS, padding: '16px', margin: '0 0 20px', textAlign: 'center' }}
		>
			<Text style={{ color: brand.muted, fontSize: '13px', lineHeight: '20px', fontWeight: 600, margin: 0 }}>{label}</Text>
			<Text
				style={{ color: brand.foreground, fontFamily: MONOSPACE, fontSize: '32px', lineHeight: '40px', fontWeight: 700, letterSpacing: '0.3em', margin: '4px 0 0' }}
			>
				{code}
			</Text>
		</Section>
	)
}

/** Label/value lines, e.g. when and where a sign-in happened. */
export function Details({ brand, rows }: { brand: EmailBrand; rows: [label: string, value: string][] }) {
	return (
		<Section style={{ backgroundColor: brand.background, border: `1px solid ${brand.border}`, borderRadius: RADIUS, padding: '12px 16px', margin: '0 0 20px' }}>
			{rows.map(([label, value]) => (
				<Text key={label} style={{ color: brand.foreground, fontSize: '14px', lineHeight: '22px', margin: '4px 0', wordBreak: 'break-word' }}>
					<strong>{label}:</strong> {value}
				</Text>
			))}
		</Section>
	)
}

/** "15 minutes", "1 hour", "24 hours": how long a link or code stays valid. */
export function duration(minutes: number): string {
	if (minutes >= 60 && minutes % 60 === 0) return plural(minutes / 60, 'hour')
	return plural(minutes, 'minute')
}

export function plural(count: number, unit: string): string {
	return `${count} ${unit}${count === 1 ? '' : 's'}`
}
