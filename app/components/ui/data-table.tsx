import { type HTMLAttributes, type ReactNode, type TdHTMLAttributes } from 'react'

/**
 * The consoles' lists: a table in a card that scrolls sideways on a narrow screen, with a caption
 * for screen readers and `scope="col"` headings, so every cell is announced with its column. An
 * empty list is a sentence (`empty`), never a table with a header and no rows.
 *
 *   <DataTable caption="Teams of this organization" columns={['Name', 'Members']} rows={teams} empty="No teams yet.">
 *     {(team) => <Row key={team.id}><Cell>{team.name}</Cell><Cell>{team.members}</Cell></Row>}
 *   </DataTable>
 */
export function DataTable<T>({
	caption,
	columns,
	rows,
	empty,
	children: renderRow,
}: {
	caption: string
	/** Headings; `{ label, hidden: true }` for a column whose heading only screen readers need (row actions). */
	columns: readonly (string | { label: string; hidden: true })[]
	rows: readonly T[]
	empty: ReactNode
	children: (row: T) => ReactNode
}) {
	if (rows.length === 0) return <p className="text-muted">{empty}</p>
	return (
		<div className="overflow-x-auto rounded-brand border border-border bg-surface">
			<table className="w-full text-left text-sm">
				<caption className="sr-only">{caption}</caption>
				<thead className="border-b border-border text-muted">
					<tr>
						{columns.map((column) =>
							typeof column === 'string' ? (
								<th key={column} scope="col" className="px-4 py-2 font-medium">
									{column}
								</th>
							) : (
								<th key={column.label} scope="col" className="px-4 py-2 font-medium">
									<span className="sr-only">{column.label}</span>
								</th>
							),
						)}
					</tr>
				</thead>
				<tbody>{rows.map(renderRow)}</tbody>
			</table>
		</div>
	)
}

export function Row({ className = '', ...props }: HTMLAttributes<HTMLTableRowElement>) {
	return <tr className={`border-b border-border last:border-0 ${className}`} {...props} />
}

export function Cell({ className = '', ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
	return <td className={`px-4 py-2 ${className}`} {...props} />
}

/** What just happened, at the top of a console page ("The team was deleted."). */
export function ConsoleNotice({ children, ...props }: { children: ReactNode } & HTMLAttributes<HTMLParagraphElement>) {
	return (
		<p role="status" className="rounded-brand border border-border bg-surface px-3 py-2 text-sm" {...props}>
			{children}
		</p>
	)
}
