/** Backup codes, shown once: a list people can copy, print or write down. */
export function BackupCodeList({ codes }: { codes: string[] }) {
	return (
		<div className="flex flex-col gap-3 text-sm">
			<p className="text-foreground">
				Save these codes somewhere safe. Each one signs you in once if you lose your other methods. <strong>They will not be shown again.</strong>
			</p>
			<ul aria-label="Backup codes" className="grid grid-cols-2 gap-2 rounded-brand border border-border bg-background p-3 font-mono" data-testid="backup-codes">
				{codes.map((code) => (
					<li key={code}>{code}</li>
				))}
			</ul>
		</div>
	)
}
