import { ActionButton, Layout, Paragraph, type EmailBrand, type EmailTexts } from './layout'

export type PasswordChangedProps = { when: string; resetUrl: string }

type Props = PasswordChangedProps & { brand: EmailBrand }

export function texts({ brand, when }: Props): EmailTexts {
	return {
		subject: `Your ${brand.orgName} password was changed`,
		heading: 'Your password was changed',
		intro: `The password for your ${brand.orgName} account was changed on ${when}. If this was you, there's nothing else to do.`,
		button: 'Reset password',
	}
}

export default function PasswordChanged({ brand, texts, resetUrl }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`The password for your ${brand.orgName} account was changed.`}
			heading={texts.heading}
			reason="We tell you about every password change on your account."
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<Paragraph brand={brand}>
				<strong>If this wasn&apos;t you,</strong> reset your password now to lock out whoever changed it.
			</Paragraph>
			<ActionButton brand={brand} href={resetUrl}>
				{texts.button}
			</ActionButton>
		</Layout>
	)
}
