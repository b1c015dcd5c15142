import { CodeBox, Layout, Note, Paragraph, duration, type EmailBrand } from './layout'

export type SignInCodeProps = { code: string; expiresInMinutes: number }

type Props = SignInCodeProps & { brand: EmailBrand }

// The code stays out of the subject and the preview line: both show on lock screens and in
// notification banners, and subjects end up in mail logs.
export function subject({ brand }: Props): string {
	return `Your ${brand.orgName} sign-in code`
}

export default function SignInCode({ brand, code, expiresInMinutes }: Props) {
	return (
		<Layout
			brand={brand}
			preview={`Your code to sign in to ${brand.orgName}.`}
			heading="Your sign-in code"
			reason="Someone asked for a sign-in code for this address."
		>
			<Paragraph brand={brand}>Enter this code to sign in to {brand.orgName}:</Paragraph>
			<CodeBox brand={brand} code={code} label="Sign-in code" />
			<Note brand={brand}>
				The code expires in {duration(expiresInMinutes)}. Don&apos;t share it with anyone: {brand.orgName} will never ask you for it. If you
				didn&apos;t try to sign in, you can ignore this email.
			</Note>
		</Layout>
	)
}
