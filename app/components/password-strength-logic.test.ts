import * as core from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import { describe, expect, it } from 'vitest'
import {
	STRENGTH_SEGMENTS,
	createStrengthChecker,
	mergeDescribedBy,
	missingCharacters,
	missingCharactersText,
	strengthFeedback,
	strengthLevel,
	strengthUserInputs,
	type StrengthScore,
} from './password-strength-logic'

describe('strengthLevel', () => {
	it('maps each score to a label, a share of the bar and theme colour classes', () => {
		const levels = ([0, 1, 2, 3, 4] as StrengthScore[]).map((score) => strengthLevel(score))
		expect(levels.map((level) => level.label)).toEqual(['Too weak', 'Weak', 'Fair', 'Good', 'Strong'])
		expect(levels.map((level) => level.segments)).toEqual([0, 1, 2, 3, STRENGTH_SEGMENTS])
		expect(levels.map((level) => level.barClass)).toEqual(['bg-danger', 'bg-danger', 'bg-muted', 'bg-primary', 'bg-primary'])
		expect(levels.map((level) => level.textClass)).toEqual(['text-danger', 'text-danger', 'text-muted', 'text-foreground', 'text-foreground'])
	})

	it('never reads better than Weak while the password is too short', () => {
		expect(strengthLevel(4, { tooShort: true }).label).toBe('Weak')
		expect(strengthLevel(2, { tooShort: true }).label).toBe('Weak')
		expect(strengthLevel(0, { tooShort: true }).label).toBe('Too weak')
		expect(strengthLevel(4, { tooShort: false }).label).toBe('Strong')
	})
})

describe('missingCharactersText', () => {
	it('counts down to the minimum, singular at one', () => {
		expect(missingCharactersText('', 15)).toBe('15 more characters')
		expect(missingCharactersText('a'.repeat(13), 15)).toBe('2 more characters')
		expect(missingCharactersText('a'.repeat(14), 15)).toBe('1 more character')
	})

	it('is null once the password is long enough', () => {
		expect(missingCharactersText('a'.repeat(15), 15)).toBeNull()
		expect(missingCharactersText('a'.repeat(40), 15)).toBeNull()
	})

	it('counts code points after NFKC, as the server does', () => {
		// One emoji is two UTF-16 units but one character; U+FB01 (ﬁ) is two characters after NFKC.
		expect(missingCharacters('😀'.repeat(3), 5)).toBe(2)
		expect(missingCharacters('\uFB01', 3)).toBe(1)
	})
})

describe('mergeDescribedBy', () => {
	it('joins ids in order, dropping empty parts and duplicates', () => {
		expect(mergeDescribedBy('a-hint', undefined, 'a-error', null, false, '', 'a-strength')).toBe('a-hint a-error a-strength')
		expect(mergeDescribedBy('a b', ' b  c ', 'a')).toBe('a b c')
	})

	it('is undefined when there is nothing to describe, so the attribute is left off', () => {
		expect(mergeDescribedBy()).toBeUndefined()
		expect(mergeDescribedBy(undefined, '', '  ')).toBeUndefined()
	})
})

describe('strengthUserInputs', () => {
	it('keeps an email’s local part and the words of names, lowercased', () => {
		expect(strengthUserInputs(['Alice.Smith@example.com', 'Acme Corp', undefined, null, ''])).toEqual([
			'alice.smith',
			'alice',
			'smith',
			'acme corp',
			'acme',
			'corp',
		])
	})

	it('drops parts too short to matter', () => {
		expect(strengthUserInputs(['jo@example.com', 'A-B Co'])).toEqual(['a-b co'])
	})
})

describe('strengthFeedback', () => {
	it('shows the warning, then the most specific suggestion', () => {
		expect(strengthFeedback({ warning: 'Dates are easy to guess.', suggestions: ['Add another word.', 'Avoid dates.'] })).toEqual([
			'Dates are easy to guess.',
			'Avoid dates.',
		])
		expect(strengthFeedback({ warning: null, suggestions: [] })).toEqual([])
	})
})

describe('createStrengthChecker with the real zxcvbn', () => {
	const check = createStrengthChecker(core, common)

	it('scores a common password low, with an English warning', () => {
		const result = check('password123', [])
		expect(result.score).toBeLessThanOrEqual(1)
		expect(result.feedback.warning).toMatch(/common|used password/)
	})

	it('scores a long random passphrase 4', () => {
		expect(check('quartz mantle pivot drizzle sonnet', []).score).toBe(4)
	})

	it('counts the user’s own words as guessable', () => {
		const password = 'Zephyrine.Quandt'
		const userInputs = strengthUserInputs(['zephyrine.quandt@example.com', 'Acme'])
		const alone = check(password, [])
		const inContext = check(password, userInputs)
		expect(alone.score).toBeGreaterThanOrEqual(3)
		expect(inContext.score).toBeLessThan(alone.score)
		expect(inContext.score).toBeLessThanOrEqual(1)
		expect(inContext.feedback.warning).toBe('Avoid your email address and the organization’s name.')
	})
})
