import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { type ReactNode } from 'react'
import { Button } from './ui/button'
import { AuthCard, type HostedPage } from './ui/card'
import { Field, FormError } from './ui/field'

type Result = { fieldErrors: { email?: string[] } | null; formError: string | null; sentTo: string | null }

/**
 * One email field and a button: the request page of "email me a link", "email me a code" and
 * "forgot password". After sending it shows `sent`, worded so it never says whether the address
 * has an account.
 */
export function EmailRequestForm({ page, title, intro, button, sent }: { page: HostedPage; title: string; intro: ReactNode; button: string; sent: (email: string) => ReactNode }) {
	const result = useActionData<Result>()
	const [searchParams] = useSearchParams()
	const submitting = useNavigation().state === 'submitting'
	const redirectTo = searchParams.get('redirectTo') ?? ''
	const back = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : '/login'
	const footer = (
		<Link className="text-link underline" to={back}>
			Back to sign in
		</Link>
	)
	if (result?.sentTo) {
		return (
			<AuthCard page={page} title="Check your email" footer={footer}>
				<p role="status" className="text-sm text-foreground">
					{sent(result.sentTo)}
				</p>
			</AuthCard>
		)
	}
	return (
		<AuthCard page={page} title={title} footer={footer}>
			<Form method="POST" reloadDocument className="flex flex-col gap-4" noValidate>
				<FormError errors={[result?.formError]} />
				<p className="text-sm text-muted">{intro}</p>
				<Field label="Email" inputProps={{ name: 'email', type: 'email', autoComplete: 'email', required: true, autoFocus: true, maxLength: 320 }} errors={result?.fieldErrors?.email} />
				<input type="hidden" name="redirectTo" value={redirectTo} />
				<Button type="submit" disabled={submitting}>
					{button}
				</Button>
			</Form>
		</AuthCard>
	)
}
