import { ActionButton, InlineLink, Layout, Note, Paragraph, type EmailBrand, type EmailTexts } from './layout'

export type AccountExistsProps = { signInUrl: string; resetUrl: string }

type Props = AccountExistsProps & { brand: EmailBrand }

/*
 * Sent instead of a verification email when someone signs up with an address that already has
 * an account: the sign-up page answers the same either way, so only the address's owner learns
 * the account exists.
 */
export function texts({ brand }: Props): EmailTexts {
	return {
		subject: `You already have an account with ${brand.orgName}`,
		heading: 'You already have an account',
		intro: `Someone tried to sign up to ${brand.orgName} with this email address, but it already has an account. If that was you, sign in instead.`,
		button: 'Sign in',
	}
}

export default function AccountExists({ brand, texts, signInUrl, resetUrl }: Props & { texts: EmailTexts }) {
	return (
		<Layout
			brand={brand}
			preview={`Someone tried to sign up to ${brand.orgName} with this address.`}
			heading={texts.heading}
			reason={`Someone entered this address on the ${brand.orgName} sign-up page.`}
		>
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<ActionButton brand={brand} href={signInUrl}>
				{texts.button}
			</ActionButton>
			<Paragraph brand={brand}>
				{/* No full stop after the link: in the text part it would stick to the URL. */}
				Forgot your password?{' '}
				<InlineLink brand={brand} href={resetUrl}>
					Reset your password
				</InlineLink>
			</Paragraph>
			<Note brand={brand}>If it wasn&apos;t you, you can ignore this email: no account was created and nothing about yours changed.</Note>
		</Layout>
	)
}
