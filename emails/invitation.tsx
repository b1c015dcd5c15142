import { ActionButton, Layout, Note, Paragraph, plural, type EmailBrand, type EmailTexts } from './layout'

export type InvitationProps = { url: string; inviterName: string | null; role: string; expiresInDays: number }

type Props = InvitationProps & { brand: EmailBrand }

export function texts({ brand, inviterName, role }: Props): EmailTexts {
	return {
		subject: inviterName ? `${inviterName} invited you to join ${brand.orgName}` : `You're invited to join ${brand.orgName}`,
		heading: `You're invited to join ${brand.orgName}`,
		intro: `${inviterName ?? 'Someone'} invited you to join ${brand.orgName} with the role ${role}.`,
		button: 'Accept invitation',
	}
}

export default function Invitation({ brand, texts, url, inviterName, expiresInDays }: Props & { texts: EmailTexts }) {
	const who = inviterName ?? 'Someone'
	return (
		<Layout brand={brand} preview={`${who} invited you to join ${brand.orgName}.`} heading={texts.heading} reason={`${who} at ${brand.orgName} invited this address.`}>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<ActionButton brand={brand} href={url}>
				{texts.button}
			</ActionButton>
			<Note brand={brand}>
				This invitation expires in {plural(expiresInDays, 'day')}. If you weren&apos;t expecting it, you can ignore this email.
			</Note>
		</Layout>
	)
}
