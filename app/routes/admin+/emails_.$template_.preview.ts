import { type LoaderFunctionArgs } from '@remix-run/node'
import { emailPreviewHtml } from './emails.server'

/** The HTML part of a template's preview, for the sandboxed frames of /admin/emails/<template> (branding: ['read']). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
	return emailPreviewHtml(request, context, params)
}
