import { ActionButton, Details, Layout, Paragraph, type EmailBrand, type EmailTexts } from './layout'

export type NewSignInProps = { when: string; ip: string; device: string; sessionsUrl: string }

type Props = NewSignInProps & { brand: EmailBrand }

export function texts({ brand }: Props): EmailTexts {
	return {
		subject: `New sign-in to your ${brand.orgName} account`,
		heading: 'New sign-in to your account',
		intro: `Your ${brand.orgName} account was just signed in to from a new device or browser.`,
		button: 'Review your sessions',
	}
}

export default function NewSignIn({ brand, texts, when, ip, device, sessionsUrl }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`Your ${brand.orgName} account was signed in to from a new device.`}
			heading={texts.heading}
			reason="We let you know when your account is signed in to from a device or browser we haven't seen before."
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<Details
				brand={brand}
				rows={[
					['When', when],
					['Device', device],
					['IP address', ip],
				]}
			/>
			<Paragraph brand={brand}>
				If this was you, you can ignore this email. <strong>If it wasn&apos;t,</strong> sign out the sessions you don&apos;t recognise and change
				your password.
			</Paragraph>
			<ActionButton brand={brand} href={sessionsUrl}>
				{texts.button}
			</ActionButton>
		</Layout>
	)
}
