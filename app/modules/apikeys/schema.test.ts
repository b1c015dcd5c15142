import { describe, expect, it } from 'vitest'
import { STATEMENTS } from '../permissions/statements'
import { apiKeyInputSchema, permissionsToWords, splitAllowList, STATEMENT_WORDS, statementWordsFor, wordsToPermissions } from './schema'

describe('API key statements', () => {
	it('offers every statement as resource:action, and org:* only to platform keys', () => {
		expect(STATEMENT_WORDS).toHaveLength(Object.values(STATEMENTS).flat().length)
		expect(statementWordsFor(true)).toEqual(STATEMENT_WORDS)
		expect(statementWordsFor(false).some((word) => word.startsWith('org:'))).toBe(false)
		expect(statementWordsFor(false)).toContain('apiKey:create')
	})

	it('turns words into statements in statements.ts order, each once, and back', () => {
		const permissions = wordsToPermissions(['app:read', 'user:create', 'user:read', 'user:read'])
		expect(permissions).toEqual({ user: ['read', 'create'], app: ['read'] })
		expect(permissionsToWords(permissions)).toEqual(['user:read', 'user:create', 'app:read'])
		expect(splitAllowList(' user:read, ,app:read,')).toEqual(['user:read', 'app:read'])
	})

	it('refuses unknown statements, no statements and bad names with readable messages', () => {
		const messages = (input: unknown) => (apiKeyInputSchema.safeParse(input).error?.issues ?? []).map((issue) => issue.message)
		expect(messages({ name: 'CI', statements: ['user:fly'] })).toEqual(['Unknown statement "user:fly" (resource:action, e.g. user:read)'])
		expect(messages({ name: 'CI', statements: [] })).toEqual(['Pick at least one statement'])
		expect(messages({ name: 'CI' })).toEqual(['Pick at least one statement'])
		expect(messages({ name: ' \u0007 ', statements: ['user:read'] })).toEqual(['Name cannot contain control characters'])
		expect(messages({ name: 'CI', statements: ['user:read'] })).toEqual([])
	})
})
