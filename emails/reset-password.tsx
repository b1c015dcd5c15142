import { ActionButton, Layout, Note, Paragraph, duration, type EmailBrand } from './layout'

export type ResetPasswordProps = { url: string; expiresInMinutes: number }

type Props = ResetPasswordProps & { brand: EmailBrand }

export function subject({ brand }: Props): string {
	return `Reset your ${brand.orgName} password`
}

export default function ResetPassword({ brand, url, expiresInMinutes }: Props) {
	return (
		<Layout
			brand={brand}
			preview={`Choose a new password for your ${brand.orgName} account.`}
			heading="Reset your password"
			reason="Someone asked to reset the password of the account that uses this address."
		>
			<Paragraph brand={brand}>We received a request to reset the password for your {brand.orgName} account.</Paragraph>
			<ActionButton brand={brand} href={url}>
				Reset password
			</ActionButton>
			<Note brand={brand}>
				This link expires in {duration(expiresInMinutes)} and works once. If you didn&apos;t ask to reset your password, ignore this email: your
				password stays the same.
			</Note>
		</Layout>
	)
}
