/**
 * Common passwords shipped with the app: zxcvbn-ts's `passwords-common` list (about 49k entries
 * from breach corpora). It ships compressed and is decompressed when its module is evaluated
 * (about 100 ms), so it is imported on first use rather than at start, and only once.
 * @see https://github.com/zxcvbn-ts/zxcvbn/tree/master/packages/languages/common
 */

let loading: Promise<ReadonlySet<string>> | undefined

/** Lowercased NFKC entries, as `checkPassword` compares them. */
export function loadPasswordBlocklist(): Promise<ReadonlySet<string>> {
	loading ??= importBlocklist().catch((error: unknown) => {
		// Let the next sign-up retry instead of failing every one until restart.
		loading = undefined
		throw error
	})
	return loading
}

async function importBlocklist(): Promise<ReadonlySet<string>> {
	const { dictionary } = await import('@zxcvbn-ts/language-common')
	// Short entries stay: they can't pass the length check alone but catch `dragondragondragon`.
	return new Set(dictionary['passwords-common'].map((entry) => entry.normalize('NFKC').toLowerCase()))
}
