import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Bad usage: exit 2 with the command's usage line. */
export class UsageError extends Error {}

/** A failure the user can fix (unknown org, taken slug, ...): exit 1 with the message. */
export class CliError extends Error {
	constructor(
		message: string,
		readonly details: Record<string, unknown> = {},
	) {
		super(message)
	}
}

export type Output = {
	json: boolean
	/** The command's result: one JSON object with --json, else readable lines. */
	result(value: Record<string, unknown>, text: string): void
}

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
	try {
		return parseArgs({ args, options: { ...options, json: { type: 'boolean' } }, strict: true, allowPositionals: false })
	} catch (error) {
		throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}`)
	}
}

export function required(value: string | boolean | (string | boolean)[] | undefined, flag: string, usage: string): string {
	if (typeof value !== 'string' || value.length === 0) throw new UsageError(`missing --${flag}\nusage: ${usage}`)
	return value
}
