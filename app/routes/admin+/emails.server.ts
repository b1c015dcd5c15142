import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import { type RequestContext } from '../../context'
import { EMAIL_TEMPLATE_NAMES, type EmailTemplateName } from '../../../emails'
import { sendEmail } from '../../modules/email/mailer.server'
import { FIELD_LABELS, FIELD_LIMITS, isOverrideTemplate, OVERRIDE_TEMPLATES, overrideFormSchema, SMS_TEMPLATE, templateSpec, usableOverride, VARIABLES, variablesFor, type OverrideFields, type OverrideTemplate } from '../../modules/email/overrides'
import { listOverrides, OverrideError, resetOverride, saveOverride, storedOverride } from '../../modules/email/overrides.server'
import { defaultTextsFor, openPreview, renderPreview, sampleProps, sealPreview, simulateDarkMode } from '../../modules/email/preview.server'
import { assertPermission, requireOrgPermission } from '../../modules/permissions/guard.server'
import { hasPermission } from '../../modules/permissions/statements'
import { refuseSend } from '../../modules/verification/flows.server'
import { readFormData } from '../../utils/forms.server'

/**
 * Loaders and actions of /admin/emails: `branding: ['read']` to see the templates, their wording
 * and previews; `branding: ['update']` to save, reset and send a test. Rules live in
 * modules/email/overrides.ts, the store and audit in overrides.server.ts.
 */
type Context = Pick<RequestContext, 'org' | 'secure' | 'ip' | 'userAgent'>

const NO_SUCH_TEMPLATE = 'No such email template.'

function requireTemplate(value: string | undefined): OverrideTemplate {
	if (!value || !isOverrideTemplate(value)) throw data(NO_SUCH_TEMPLATE, { status: 404 })
	return value
}

const isEmail = (template: OverrideTemplate): template is EmailTemplateName => (EMAIL_TEMPLATE_NAMES as readonly string[]).includes(template)

export async function loadEmailList(request: Request, context: Context) {
	const { permissions } = await requireOrgPermission(request, context, { branding: ['read'] })
	const overrides = await listOverrides(context.org.id)
	return {
		orgName: context.org.name,
		canUpdate: hasPermission(permissions, { branding: ['update'] }),
		templates: OVERRIDE_TEMPLATES.map((template) => {
			const spec = templateSpec(template)
			const stored = overrides.get(template)
			return {
				template,
				label: spec.label,
				description: spec.description,
				kind: spec.kind,
				customised: stored ? spec.fields.filter((field) => stored.fields[field]).map((field) => FIELD_LABELS[field]) : [],
				updatedAt: stored?.updatedAt.toISOString() ?? null,
			}
		}),
	}
}

/** What the editor shows: the stored wording, Foyer's defaults with sample data, the variables each field takes. */
export async function loadEmailTemplate(request: Request, context: Context, params: { template?: string }) {
	const template = requireTemplate(params.template)
	const { user, permissions } = await requireOrgPermission(request, context, { branding: ['read'] })
	const spec = templateSpec(template)
	const stored = await storedOverride(context.org.id, template)
	const admin = { email: user.email, name: user.name }
	const defaults = defaultTextsFor(context.org, template, admin)
	const preview = await renderPreview(context.org, template, usableOverride(template, stored), admin)
	const query = new URL(request.url).searchParams
	return {
		orgName: context.org.name,
		template,
		label: spec.label,
		description: spec.description,
		kind: spec.kind,
		canUpdate: hasPermission(permissions, { branding: ['update'] }),
		email: user.email,
		stored,
		customised: Object.keys(stored).length > 0,
		fields: spec.fields.map((field) => ({
			name: field,
			label: FIELD_LABELS[field],
			maxLength: FIELD_LIMITS[field],
			default: defaults[field] ?? '',
			variables: variablesFor(template, field),
			required: (spec.required[field] ?? []).map((entry) => entry.variable),
		})),
		variables: spec.variables.map((name) => ({ name, description: VARIABLES[name] })),
		preview: previewView(preview, null),
		notice: query.has('saved') ? 'saved' : query.has('reset') ? 'reset' : null,
	}
}

function previewView(preview: Awaited<ReturnType<typeof renderPreview>>, token: string | null) {
	return { subject: preview.kind === 'email' ? preview.subject : null, text: preview.text, token }
}

export async function emailTemplateAction(request: Request, context: RequestContext, params: { template?: string }) {
	const template = requireTemplate(params.template)
	const { user, permissions } = await requireOrgPermission(request, context, { branding: ['read'] })
	const audit = { actorId: user.id, ip: context.ip, userAgent: context.userAgent }
	const form = await readFormData(request)
	const intent = form.get('intent')
	const path = `/admin/emails/${template}`

	if (intent === 'reset') {
		assertPermission(permissions, { branding: ['update'] })
		await resetOverride(context.org.id, template, audit)
		throw redirect(`${path}?reset=1`)
	}
	if (intent !== 'save' && intent !== 'preview' && intent !== 'test') throw data('That action is not available here.', { status: 400 })
	// A preview changes nothing and sends nothing: reading is enough.
	if (intent !== 'preview') assertPermission(permissions, { branding: ['update'] })

	const submission = parseWithZod(form, { schema: overrideFormSchema(template) })
	if (submission.status !== 'success') return data({ intent, result: submission.reply(), preview: null, sentTo: null, refused: null }, { status: 400 })
	const fields: OverrideFields = submission.value

	if (intent === 'save') {
		try {
			await saveOverride(context.org.id, template, fields, audit)
		} catch (error) {
			if (error instanceof OverrideError) return data({ intent, result: submission.reply({ fieldErrors: error.problems }), preview: null, sentTo: null, refused: null }, { status: 400 })
			throw error
		}
		throw redirect(`${path}?saved=1`)
	}

	const admin = { email: user.email, name: user.name }
	const preview = previewView(await renderPreview(context.org, template, fields, admin), sealPreview({ organizationId: context.org.id, userId: user.id, template, fields }))
	if (intent === 'preview') return { intent, result: submission.reply(), preview, sentTo: null, refused: null }

	if (!isEmail(template)) return data({ intent, result: submission.reply({ formErrors: ['A text message has no test send: the preview shows the text as it goes out.'] }), preview, sentTo: null, refused: null }, { status: 400 })
	// Only ever to the signed-in admin's own address, and counted like every other email Foyer sends to an address.
	const refusal = await refuseSend(context, user.email)
	if (refusal) {
		return data({ intent, result: submission.reply(), preview, sentTo: null, refused: refusal.message }, { status: refusal.status, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } })
	}
	await sendEmail(context.org, user.email, template, sampleProps(template, context.org, admin), { test: { overrides: fields } })
	return { intent, result: submission.reply(), preview, sentTo: user.email, refused: null }
}

/**
 * The HTML of a template for the editor's sandboxed frame: the saved wording, or the form's
 * (sealed by the preview action), light or with a dark mail app simulated. Its own CSP, as the
 * outbox's HTML route (server/middleware.ts leaves this path to it): email markup is inline
 * styles, and no script may run.
 */
export async function emailPreviewHtml(request: Request, context: Context, params: { template?: string }) {
	const template = requireTemplate(params.template)
	const { user } = await requireOrgPermission(request, context, { branding: ['read'] })
	if (template === SMS_TEMPLATE) throw data('A text message has no HTML.', { status: 404 })
	const query = new URL(request.url).searchParams
	const draft = query.get('draft')
	const fields = draft ? openPreview(draft, { organizationId: context.org.id, userId: user.id, template }) : usableOverride(template, await storedOverride(context.org.id, template))
	if (!fields) throw data('This preview has expired. Press Preview again.', { status: 410 })
	const preview = await renderPreview(context.org, template, fields, { email: user.email, name: user.name })
	if (preview.kind !== 'email') throw data('A text message has no HTML.', { status: 404 })
	const html = query.get('scheme') === 'dark' ? simulateDarkMode(preview.html) : preview.html
	return new Response(html, {
		headers: {
			'Content-Type': 'text/html; charset=utf-8',
			// The logo comes from the org's own origin (its /assets), as in the sent email.
			'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; img-src ${context.org.origin} https: data:; frame-ancestors 'self'; sandbox`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'no-store',
			'Referrer-Policy': 'no-referrer',
		},
	})
}
