import { ActionButton, Layout, Paragraph, type EmailBrand, type EmailTexts } from './layout'

export type EmailChangedProps = { oldEmail: string; newEmail: string; supportUrl: string }

type Props = EmailChangedProps & { brand: EmailBrand }

/** Sent to the old address, which may be the only one the real owner still reads. */
export function texts({ brand, oldEmail, newEmail }: Props): EmailTexts {
	return {
		subject: `Your ${brand.orgName} email address was changed`,
		heading: 'Your email address was changed',
		intro: `The email address of your ${brand.orgName} account was changed from ${oldEmail} to ${newEmail}. From now on, sign-in links and account notices go to the new address.`,
		button: 'Get help',
	}
}

export default function EmailChanged({ brand, texts, supportUrl }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`The email address of your ${brand.orgName} account was changed.`}
			heading={texts.heading}
			reason="We tell the previous address about every email change, in case it wasn't you."
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<Paragraph brand={brand}>If you made this change, there&apos;s nothing else to do.</Paragraph>
			<Paragraph brand={brand}>
				<strong>If this wasn&apos;t you,</strong> someone else may have access to your account. Contact us right away so we can help you get it
				back.
			</Paragraph>
			<ActionButton brand={brand} href={supportUrl}>
				{texts.button}
			</ActionButton>
		</Layout>
	)
}
