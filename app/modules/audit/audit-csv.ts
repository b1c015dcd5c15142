import { type ChainedFields } from './chain'

/**
 * CSV for audit exports (RFC 4180).
 *
 * Rules:
 * - A cell with a comma, quote, CR or LF is quoted, quotes doubled.
 * - Formula injection: a cell starting with = + - @ (or a tab or CR, which some spreadsheets
 *   skip before reading a formula) gets a leading single quote, so opening the file in a
 *   spreadsheet shows text and never runs it (OWASP "CSV Injection").
 * - Lines end in CRLF.
 */

export const AUDIT_CSV_COLUMNS = ['seq', 'createdAt', 'type', 'actorId', 'targetType', 'targetId', 'ip', 'userAgent', 'data', 'id', 'prevHash', 'hash'] as const

/** An event as exported: the chained fields (chain.ts) and the row's id and hashes. */
export type ExportedEvent = Omit<ChainedFields, 'organizationId'> & { id: string; prevHash: string; hash: string }

export function csvCell(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return ''
	let text = String(value)
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
	return `${cells.map(csvCell).join(',')}\r\n`
}

export const csvHeader = () => csvLine([...AUDIT_CSV_COLUMNS])

export function eventCsvLine(event: ExportedEvent): string {
	return csvLine(
		AUDIT_CSV_COLUMNS.map((column) => {
			if (column === 'createdAt') return event.createdAt.toISOString()
			if (column === 'data') return JSON.stringify(event.data ?? {})
			return event[column]
		}),
	)
}

/** The JSON export's shape of one event (dates as ISO strings). */
export function eventJson(event: ExportedEvent) {
	return { ...Object.fromEntries(AUDIT_CSV_COLUMNS.map((column) => [column, event[column]])), createdAt: event.createdAt.toISOString() }
}
