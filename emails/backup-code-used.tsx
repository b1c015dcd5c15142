import { ActionButton, Layout, Paragraph, type EmailBrand, type EmailTexts } from './layout'

export type BackupCodeUsedProps = { when: string; left: number; securityUrl: string }

type Props = BackupCodeUsedProps & { brand: EmailBrand }

export function texts({ brand, when, left }: Props): EmailTexts {
	return {
		subject: `A backup code was used on your ${brand.orgName} account`,
		heading: 'A backup code was used',
		intro: `One of your backup codes was used to sign in to your ${brand.orgName} account on ${when}. ${left === 1 ? 'One code is' : `${left} codes are`} left.`,
		button: 'Review your security settings',
	}
}

export default function BackupCodeUsed({ brand, texts, securityUrl }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`One of your ${brand.orgName} backup codes was just used to sign in.`}
			heading={texts.heading}
			reason="We tell you every time a backup code is used on your account."
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<Paragraph brand={brand}>
				<strong>If this wasn&apos;t you,</strong> someone has your password and a backup code: change your password and make new backup codes now.
			</Paragraph>
			<ActionButton brand={brand} href={securityUrl}>
				{texts.button}
			</ActionButton>
		</Layout>
	)
}
