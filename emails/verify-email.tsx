import { ActionButton, CodeBox, Layout, Note, Paragraph, duration, type EmailBrand } from './layout'

export type VerifyEmailProps = { url: string; code: string; expiresInMinutes: number }

type Props = VerifyEmailProps & { brand: EmailBrand }

export function subject({ brand }: Props): string {
	return `Verify your email for ${brand.orgName}`
}

export default function VerifyEmail({ brand, url, code, expiresInMinutes }: Props) {
	return (
		<Layout
			brand={brand}
			preview={`Confirm your email address for ${brand.orgName}.`}
			heading="Verify your email"
			reason="Someone entered this address to create an account or add it to one."
		>
			<Paragraph brand={brand}>Confirm that this email address is yours to finish setting up your {brand.orgName} account.</Paragraph>
			<ActionButton brand={brand} href={url}>
				Verify email
			</ActionButton>
			<Paragraph brand={brand}>Or enter this code on the verification page:</Paragraph>
			<CodeBox brand={brand} code={code} />
			<Note brand={brand}>
				The link and the code expire in {duration(expiresInMinutes)}. If you didn&apos;t ask for this, you can ignore this email.
			</Note>
		</Layout>
	)
}
