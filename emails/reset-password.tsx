import { ActionButton, Layout, Note, Paragraph, duration, type EmailBrand, type EmailTexts } from './layout'

export type ResetPasswordProps = { url: string; expiresInMinutes: number }

type Props = ResetPasswordProps & { brand: EmailBrand }

export function texts({ brand }: Props): EmailTexts {
	return {
		subject: `Reset your ${brand.orgName} password`,
		heading: 'Reset your password',
		intro: `We received a request to reset the password for your ${brand.orgName} account.`,
		button: 'Reset password',
	}
}

export default function ResetPassword({ brand, texts, url, expiresInMinutes }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`Choose a new password for your ${brand.orgName} account.`}
			heading={texts.heading}
			reason="Someone asked to reset the password of the account that uses this address."
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<ActionButton brand={brand} href={url}>
				{texts.button}
			</ActionButton>
			<Note brand={brand}>
				This link expires in {duration(expiresInMinutes)} and works once. If you didn&apos;t ask to reset your password, ignore this email: your
				password stays the same.
			</Note>
		</Layout>
	)
}
