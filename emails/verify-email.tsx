import { ActionButton, CodeBox, Layout, Note, Paragraph, duration, type EmailBrand, type EmailTexts } from './layout'

export type VerifyEmailProps = { url: string; code: string; expiresInMinutes: number }

type Props = VerifyEmailProps & { brand: EmailBrand }

export function texts({ brand }: Props): EmailTexts {
	return {
		subject: `Verify your email for ${brand.orgName}`,
		heading: 'Verify your email',
		intro: `Confirm that this email address is yours to finish setting up your ${brand.orgName} account.`,
		button: 'Verify email',
	}
}

export default function VerifyEmail({ brand, texts, url, code, expiresInMinutes }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`Confirm your email address for ${brand.orgName}.`}
			heading={texts.heading}
			reason="Someone entered this address to create an account or add it to one."
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<ActionButton brand={brand} href={url}>
				{texts.button}
			</ActionButton>
			<Paragraph brand={brand}>Or enter this code on the verification page:</Paragraph>
			<CodeBox brand={brand} code={code} />
			<Note brand={brand}>
				The link and the code expire in {duration(expiresInMinutes)}. If you didn&apos;t ask for this, you can ignore this email.
			</Note>
		</Layout>
	)
}
