import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { EXPORT_FORMATS, exportAuditLog, type ExportFormat } from '../../modules/audit/audit-export.server'
import { parseAuditQuery } from '../../modules/audit/audit-filters'
import { requireOrgPermission } from '../../modules/permissions/guard.server'

/**
 * GET /admin/audit/export?format=csv|json&<the audit page's filters>: the matching events as a
 * streamed download (see audit-export.server.ts). Bad parameters are a 400 with a message.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const { user } = await requireOrgPermission(request, context, { audit: ['export'] })
	const params = new URL(request.url).searchParams
	const format = params.get('format') ?? 'csv'
	if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw data('Choose format=csv or format=json.', { status: 400 })
	const parsed = parseAuditQuery(params)
	if (!parsed.ok) throw data(Object.values(parsed.errors).flat().join(' '), { status: 400 })
	if (parsed.cursor.before !== undefined || parsed.cursor.after !== undefined) throw data('An export covers every matching event: leave out before and after.', { status: 400 })
	return exportAuditLog(context.org, parsed.filters, format as ExportFormat, { actorId: user.id, ip: context.ip, userAgent: context.userAgent })
}
