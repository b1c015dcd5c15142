import { z } from 'zod'
import { RESOURCES, STATEMENTS, type Permissions, type Resource } from '../permissions/statements'

/**
 * API key input, shared by the console form, the CLI and the module. Client-safe (no server
 * imports): the console validates in the browser with it too.
 *
 * Statements travel as `resource:action` words: one checkbox each in the console, a
 * comma-separated `--allow` list on the command line.
 */
export const STATEMENT_WORDS = RESOURCES.flatMap((resource) => STATEMENTS[resource].map((action) => `${resource}:${action}`))

/** The `org` resource reaches every org of the platform: only the operator org's keys may hold it. */
export function statementWordsFor(isOperator: boolean) {
	return STATEMENT_WORDS.filter((word) => isOperator || !word.startsWith('org:'))
}

const statementWord = z.string().refine((word) => STATEMENT_WORDS.includes(word), { error: (issue) => `Unknown statement "${String(issue.input)}" (resource:action, e.g. user:read)` })

export const apiKeyNameSchema = z
	.string({ error: 'Name is required' })
	.trim()
	.min(1, 'Name is required')
	.max(100, 'Name must be at most 100 characters')
	.refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'Name cannot contain control characters')

/**
 * How long a key lives, in days, or `never` (an explicit choice, shown as such in the lists). 90 is
 * the default: a quarter is long enough for a routine rotation, short enough that a forgotten or
 * leaked key dies on its own; 30 for trials and one-off jobs, 365 for keys rotated yearly.
 */
export const API_KEY_EXPIRY_CHOICES = ['30', '90', '365', 'never'] as const
export type ApiKeyExpiry = (typeof API_KEY_EXPIRY_CHOICES)[number]
export const DEFAULT_API_KEY_EXPIRY: ApiKeyExpiry = '90'
export const API_KEY_EXPIRY_LABELS: Record<ApiKeyExpiry, string> = { '30': '30 days', '90': '90 days', '365': '365 days', never: 'Never' }
export const apiKeyExpirySchema = z.enum(API_KEY_EXPIRY_CHOICES, { error: 'Choose 30, 90 or 365 days, or never' })

export const apiKeyInputSchema = z.object({
	name: apiKeyNameSchema,
	statements: z.array(statementWord, { error: 'Pick at least one statement' }).min(1, 'Pick at least one statement').max(STATEMENT_WORDS.length),
	expiresIn: apiKeyExpirySchema.default(DEFAULT_API_KEY_EXPIRY),
})

/** When a key made at `now` with this choice expires; null for never. */
export function expiresAtFor(choice: ApiKeyExpiry, now = new Date()): Date | null {
	return choice === 'never' ? null : new Date(now.getTime() + Number(choice) * 86_400_000)
}

export type ApiKeyInput = z.input<typeof apiKeyInputSchema>

/** `user:read,user:create` → `['user:read', 'user:create']` (blanks dropped; checked by the schema). */
export function splitAllowList(list: string) {
	return list
		.split(',')
		.map((word) => word.trim())
		.filter(Boolean)
}

/** Words to statements, in statements.ts order, each once. */
export function wordsToPermissions(words: readonly string[]): Permissions {
	const chosen = new Set(words)
	const permissions: Record<string, string[]> = {}
	for (const resource of RESOURCES) {
		const actions = (STATEMENTS[resource] as readonly string[]).filter((action) => chosen.has(`${resource}:${action}`))
		if (actions.length) permissions[resource] = actions
	}
	return permissions as Permissions
}

export function permissionsToWords(permissions: Permissions): string[] {
	return (Object.entries(permissions) as [Resource, readonly string[]][]).flatMap(([resource, actions]) => actions.map((action) => `${resource}:${action}`))
}
