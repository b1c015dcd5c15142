import { CodeBox, Layout, Note, Paragraph, duration, type EmailBrand, type EmailTexts } from './layout'

export type SignInCodeProps = { code: string; expiresInMinutes: number }

type Props = SignInCodeProps & { brand: EmailBrand }

// The code stays out of the subject and the preview line: both show on lock screens and in
// notification banners, and subjects end up in mail logs. No button: the code box is the action.
export function texts({ brand }: Props): EmailTexts {
	return {
		subject: `Your ${brand.orgName} sign-in code`,
		heading: 'Your sign-in code',
		intro: `Enter this code to sign in to ${brand.orgName}:`,
	}
}

export default function SignInCode({ brand, texts, code, expiresInMinutes }: Props & { texts: EmailTexts }) {
	return (
		<Layout brand={brand} preview={`Your code to sign in to ${brand.orgName}.`} heading={texts.heading} reason="Someone asked for a sign-in code for this address.">
			<Paragraph brand={brand}>{texts.intro}</Paragraph>
			<CodeBox brand={brand} code={code} label="Sign-in code" />
			<Note brand={brand}>
				The code expires in {duration(expiresInMinutes)}. Don&apos;t share it with anyone: {brand.orgName} will never ask you for it. If you
				didn&apos;t try to sign in, you can ignore this email.
			</Note>
		</Layout>
	)
}
