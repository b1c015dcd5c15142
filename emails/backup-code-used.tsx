import { ActionButton, Layout, Paragraph, type EmailBrand } from './layout'

export type BackupCodeUsedProps = { when: string; left: number; securityUrl: string }

type Props = BackupCodeUsedProps & { brand: EmailBrand }

export function subject({ brand }: Props): string {
	return `A backup code was used on your ${brand.orgName} account`
}

export default function BackupCodeUsed({ brand, when, left, securityUrl }: Props) {
	return (
		<Layout
			brand={brand}
			preview={`One of your ${brand.orgName} backup codes was just used to sign in.`}
			heading="A backup code was used"
			reason="We tell you every time a backup code is used on your account."
		>
			<Paragraph brand={brand}>
				One of your backup codes was used to sign in to your {brand.orgName} account on {when}. {left === 1 ? 'One code is' : `${left} codes are`} left.
			</Paragraph>
			<Paragraph brand={brand}>
				<strong>If this wasn&apos;t you,</strong> someone has your password and a backup code: change your password and make new backup codes now.
			</Paragraph>
			<ActionButton brand={brand} href={securityUrl}>
				Review your security settings
			</ActionButton>
		</Layout>
	)
}
