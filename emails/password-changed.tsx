import { ActionButton, Layout, Paragraph, type EmailBrand } from './layout'

export type PasswordChangedProps = { when: string; resetUrl: string }

type Props = PasswordChangedProps & { brand: EmailBrand }

export function subject({ brand }: Props): string {
	return `Your ${brand.orgName} password was changed`
}

export default function PasswordChanged({ brand, when, resetUrl }: Props) {
	return (
		<Layout
			brand={brand}
			preview={`The password for your ${brand.orgName} account was changed.`}
			heading="Your password was changed"
			reason="We tell you about every password change on your account."
		>
			<Paragraph brand={brand}>
				The password for your {brand.orgName} account was changed on {when}. If this was you, there&apos;s nothing else to do.
			</Paragraph>
			<Paragraph brand={brand}>
				<strong>If this wasn&apos;t you,</strong> reset your password now to lock out whoever changed it.
			</Paragraph>
			<ActionButton brand={brand} href={resetUrl}>
				Reset password
			</ActionButton>
		</Layout>
	)
}
