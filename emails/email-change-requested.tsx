import { ActionButton, CodeBox, Layout, Note, Paragraph, duration, type EmailBrand, type EmailTexts } from './layout'

export type EmailChangeRequestedProps = { url: string; code?: string; newEmail: string; expiresInMinutes: number }

type Props = EmailChangeRequestedProps & { brand: EmailBrand }

/*
 * Sent to the new address to prove it belongs to the person changing it. Whoever reads it may
 * not be the account's owner, so it names no account and no current address.
 */
export function texts({ brand, newEmail }: Props): EmailTexts {
	return {
		subject: `Confirm your new email address for ${brand.orgName}`,
		heading: 'Confirm your new email address',
		intro: `Someone asked to use ${newEmail} as the email address of their ${brand.orgName} account. Confirm that this address is yours to finish the change.`,
		button: 'Confirm email address',
	}
}

export default function EmailChangeRequested({ brand, texts, url, code, expiresInMinutes }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`Confirm this address to finish changing your ${brand.orgName} email.`}
			heading={texts.heading}
			reason={`Someone entered this address as the new email of a ${brand.orgName} account.`}
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<ActionButton brand={brand} href={url}>
				{texts.button}
			</ActionButton>
			{code ? (
				<>
					<Paragraph brand={brand}>Or enter this code on the confirmation page:</Paragraph>
					<CodeBox brand={brand} code={code} />
				</>
			) : null}
			<Note brand={brand}>
				{code ? 'The link and the code expire' : 'This link expires'} in {duration(expiresInMinutes)}. If you didn&apos;t ask for this, ignore
				this email: nothing changes until the address is confirmed.
			</Note>
		</Layout>
	)
}
