import { type ContrastCheck, type ContrastReport } from '../modules/branding/contrast-report'
import { Cell, DataTable, Row } from './ui/data-table'

const ratio = (value: number) => `${value.toFixed(2)}:1`

function Swatch({ color }: { color: string }) {
	// The colour beside its value, for sighted admins (the value is the text). An SVG fill, not a
	// style attribute: the page's CSP allows no inline styles.
	return (
		<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12" className="mr-1 inline-block align-middle">
			<rect x="0.5" y="0.5" width="11" height="11" rx="2" fill={color} stroke="currentColor" strokeOpacity="0.4" />
		</svg>
	)
}

function Pair({ pair }: { pair: ContrastCheck['picked'] }) {
	return (
		<span className="whitespace-nowrap font-mono text-xs">
			<Swatch color={pair.color} />
			{pair.color} on <Swatch color={pair.against} />
			{pair.against}
		</span>
	)
}

/**
 * The studio's contrast report: every pair of colours the pages show, in light and dark, with the
 * ratio of what was picked, what WCAG 2.2 AA asks, and the colours Foyer uses instead where the pick
 * falls short (and why). The pages always use the "used" column, so they always pass.
 */
export function ContrastReportTable({ report }: { report: ContrastReport }) {
	const failing = [...report.light, ...report.dark].filter((check) => !check.passes)
	return (
		<div className="flex flex-col gap-3">
			<p role="status" className="text-sm">
				{failing.length === 0
					? 'Every colour you picked meets WCAG 2.2 AA in light and dark.'
					: `${failing.length} ${failing.length === 1 ? 'pair falls' : 'pairs fall'} short of WCAG 2.2 AA: Foyer shows the adjusted colours instead (see “Used”).`}
			</p>
			{(['light', 'dark'] as const).map((mode) => (
				<DataTable
					key={mode}
					caption={`Contrast in ${mode} mode${report.shown.includes(mode) ? '' : ' (not shown with the current appearance)'}`}
					columns={[`${mode === 'light' ? 'Light' : 'Dark'} mode`, 'Picked', 'Ratio', 'Needed', 'Used', 'Why']}
					rows={report[mode]}
					empty="Nothing to check."
				>
					{(check) => (
						<Row key={`${mode}-${check.id}`}>
							<Cell>{check.label}</Cell>
							<Cell>
								<Pair pair={check.picked} />
							</Cell>
							<Cell className={check.passes ? '' : 'font-semibold text-danger'}>{`${ratio(check.picked.ratio)}${check.passes ? '' : ' (too low)'}`}</Cell>
							<Cell>{ratio(check.required)}</Cell>
							<Cell>{check.passes ? 'as picked' : <><Pair pair={check.used} /> <span className="text-xs">{ratio(check.used.ratio)}</span></>}</Cell>
							<Cell className="text-xs text-muted">{check.explanation}</Cell>
						</Row>
					)}
				</DataTable>
			))}
		</div>
	)
}
