import { ActionButton, Layout, Note, Paragraph, duration, type EmailBrand, type EmailTexts } from './layout'

export type MagicLinkProps = { url: string; expiresInMinutes: number }

type Props = MagicLinkProps & { brand: EmailBrand }

export function texts({ brand }: Props): EmailTexts {
	return {
		subject: `Your ${brand.orgName} sign-in link`,
		heading: `Sign in to ${brand.orgName}`,
		intro: 'Use the button below to sign in. No password needed.',
		button: 'Sign in',
	}
}

export default function MagicLink({ brand, texts, url, expiresInMinutes }: Props & { texts: EmailTexts }) {
	return (
		<Layout brand={brand} preview={`Your link to sign in to ${brand.orgName}.`} heading={texts.heading} reason="Someone asked for a sign-in link for this address.">
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<ActionButton brand={brand} href={url}>
				{texts.button}
			</ActionButton>
			<Note brand={brand}>
				This link expires in {duration(expiresInMinutes)} and works once. Don&apos;t forward it: anyone who has it can sign in as you. If you
				didn&apos;t try to sign in, you can ignore this email.
			</Note>
		</Layout>
	)
}
