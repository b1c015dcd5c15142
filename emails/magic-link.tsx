import { ActionButton, Layout, Note, Paragraph, duration, type EmailBrand } from './layout'

export type MagicLinkProps = { url: string; expiresInMinutes: number }

type Props = MagicLinkProps & { brand: EmailBrand }

export function subject({ brand }: Props): string {
	return `Your ${brand.orgName} sign-in link`
}

export default function MagicLink({ brand, url, expiresInMinutes }: Props) {
	return (
		<Layout
			brand={brand}
			preview={`Your link to sign in to ${brand.orgName}.`}
			heading={`Sign in to ${brand.orgName}`}
			reason="Someone asked for a sign-in link for this address."
		>
			<Paragraph brand={brand}>Use the button below to sign in. No password needed.</Paragraph>
			<ActionButton brand={brand} href={url}>
				Sign in
			</ActionButton>
			<Note brand={brand}>
				This link expires in {duration(expiresInMinutes)} and works once. Don&apos;t forward it: anyone who has it can sign in as you. If you
				didn&apos;t try to sign in, you can ignore this email.
			</Note>
		</Layout>
	)
}
