import { logger } from '../../utils/logger.server'
import { recordAuditEventNow, type AuditContext } from './audit.server'
import { csvHeader, eventCsvLine, eventJson } from './audit-csv'
import { filterValues, type AuditFilters } from './audit-filters'
import { auditEventBatches } from './audit-query.server'

/**
 * The audit log export: CSV or one JSON array, streamed.
 *
 * Rules:
 * - The body is a ReadableStream pulled one keyset batch (2,000 events) at a time, so memory
 *   stays flat and a slow client slows the queries down instead of filling a buffer.
 * - The export is itself an event (`audit.exported`, with the format and filters), written
 *   before the first byte; it is part of the export when the filters match it.
 * - `Content-Disposition: attachment` and `nosniff`: the browser saves the file, never renders it.
 */

export const EXPORT_FORMATS = ['csv', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export async function exportAuditLog(org: { id: string; slug: string }, filters: AuditFilters, format: ExportFormat, audit: AuditContext, now = new Date()): Promise<Response> {
	const activeFilters = Object.fromEntries(Object.entries(filterValues(filters)).filter(([, value]) => value))
	await recordAuditEventNow({ ...audit, organizationId: org.id, type: 'audit.exported', data: { format, filters: activeFilters } })

	const encoder = new TextEncoder()
	const batches = auditEventBatches(org.id, filters)
	let first = true
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(format === 'csv' ? csvHeader() : '['))
		},
		async pull(controller) {
			try {
				const next = await batches.next()
				if (next.done) {
					if (format === 'json') controller.enqueue(encoder.encode(first ? ']\n' : '\n]\n'))
					controller.close()
					return
				}
				const text =
					format === 'csv'
						? next.value.map(eventCsvLine).join('')
						: next.value.map((event) => {
								const line = `${first ? '\n' : ',\n'}${JSON.stringify(eventJson(event))}`
								first = false
								return line
							}).join('')
				controller.enqueue(encoder.encode(text))
			} catch (error) {
				logger.error({ err: error, organizationId: org.id }, 'audit export failed mid-stream')
				controller.error(error)
			}
		},
		async cancel() {
			await batches.return(undefined)
		},
	})

	const filename = `audit-${org.slug}-${now.toISOString().slice(0, 10)}.${format}`
	return new Response(body, {
		headers: {
			'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${filename}"`,
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff',
		},
	})
}
