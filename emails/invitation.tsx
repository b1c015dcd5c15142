import { ActionButton, Layout, Note, Paragraph, plural, type EmailBrand } from './layout'

export type InvitationProps = { url: string; inviterName: string | null; role: string; expiresInDays: number }

type Props = InvitationProps & { brand: EmailBrand }

export function subject({ brand, inviterName }: Props): string {
	return inviterName ? `${inviterName} invited you to join ${brand.orgName}` : `You're invited to join ${brand.orgName}`
}

export default function Invitation({ brand, url, inviterName, role, expiresInDays }: Props) {
	const who = inviterName ?? 'Someone'
	return (
		<Layout
			brand={brand}
			preview={`${who} invited you to join ${brand.orgName}.`}
			heading={`You're invited to join ${brand.orgName}`}
			reason={`${who} at ${brand.orgName} invited this address.`}
		>
			<Paragraph brand={brand}>
				{who} invited you to join {brand.orgName} with the role <strong>{role}</strong>.
			</Paragraph>
			<ActionButton brand={brand} href={url}>
				Accept invitation
			</ActionButton>
			<Note brand={brand}>
				This invitation expires in {plural(expiresInDays, 'day')}. If you weren&apos;t expecting it, you can ignore this email.
			</Note>
		</Layout>
	)
}
