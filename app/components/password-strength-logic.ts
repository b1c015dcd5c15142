import type { OptionsType, TranslationKeys, ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core'
import { normalizePassword } from '../modules/passwords/policy'

/*
 * The pure half of the password strength meter (password-strength.tsx): what a zxcvbn score
 * looks like, how far below the minimum length a password is, which words count as context.
 * zxcvbn itself is only referenced by type here, so importing this module never pulls its
 * dictionaries into a bundle; the component loads them on first keystroke and hands them to
 * createStrengthChecker.
 */

export type StrengthScore = ZxcvbnResult['score']

export type StrengthLevel = {
	label: 'Too weak' | 'Weak' | 'Fair' | 'Good' | 'Strong'
	/** Filled segments out of STRENGTH_SEGMENTS. */
	segments: number
	/** Background of the filled segments. */
	barClass: string
	/** Colour of the label. */
	textClass: string
}

export const STRENGTH_SEGMENTS = 4

/*
 * Theme tokens only: the brand has no "warning" or "success" colour, and an amber or green picked
 * here would not get the contrast guarantees the tokens have on every org's theme. The label
 * text carries the meaning; the colour only reinforces it.
 */
const LEVELS: Record<StrengthScore, StrengthLevel> = {
	0: { label: 'Too weak', segments: 0, barClass: 'bg-danger', textClass: 'text-danger' },
	1: { label: 'Weak', segments: 1, barClass: 'bg-danger', textClass: 'text-danger' },
	2: { label: 'Fair', segments: 2, barClass: 'bg-muted', textClass: 'text-muted' },
	3: { label: 'Good', segments: 3, barClass: 'bg-primary', textClass: 'text-foreground' },
	4: { label: 'Strong', segments: 4, barClass: 'bg-primary', textClass: 'text-foreground' },
}

/** The highest level shown while the password is shorter than the minimum: the server refuses it. */
const MAX_SCORE_WHEN_TOO_SHORT: StrengthScore = 1

/**
 * How a zxcvbn score is shown. A password under the minimum length never reads better than
 * "Weak", since the server will refuse it however unguessable it is.
 */
export function strengthLevel(score: StrengthScore, { tooShort = false }: { tooShort?: boolean } = {}): StrengthLevel {
	return LEVELS[tooShort ? (Math.min(score, MAX_SCORE_WHEN_TOO_SHORT) as StrengthScore) : score]
}

/** Length as the server counts it (policy.ts): Unicode code points after NFKC. */
export function passwordLength(password: string): number {
	return [...normalizePassword(password)].length
}

/** How many more characters the password needs; 0 once it is long enough. */
export function missingCharacters(password: string, minLength: number): number {
	return Math.max(0, minLength - passwordLength(password))
}

/** "3 more characters", or null once the password is long enough. */
export function missingCharactersText(password: string, minLength: number): string | null {
	const missing = missingCharacters(password, minLength)
	if (missing === 0) return null
	return `${missing} more character${missing === 1 ? '' : 's'}`
}

/**
 * One aria-describedby value from several id lists: order kept, duplicates and empty parts
 * dropped, undefined when nothing is left (so React leaves the attribute off).
 */
export function mergeDescribedBy(...ids: Array<string | null | undefined | false>): string | undefined {
	const unique = new Set<string>()
	for (const value of ids) {
		if (!value) continue
		for (const id of value.split(/\s+/)) if (id) unique.add(id)
	}
	return unique.size ? [...unique].join(' ') : undefined
}

/**
 * Words zxcvbn should treat as guessable for this user: an email address counts by its local
 * part (the domain is usually a public provider), and a multi-word name also by its words, as
 * policy.ts does. Parts under 3 characters would match by chance in any passphrase.
 */
export function strengthUserInputs(inputs: ReadonlyArray<unknown>): string[] {
	const words = new Set<string>()
	for (const input of inputs) {
		// Not always a string at run time: Conform hands back an array for a field posted twice.
		const value = typeof input === 'string' ? input.normalize('NFKC').toLowerCase().trim() : ''
		if (!value) continue
		const word = value.includes('@') ? value.slice(0, value.lastIndexOf('@')) : value
		for (const part of [word, ...word.split(/[^\p{L}\p{N}]+/u)]) {
			if ([...part].length >= 3) words.add(part)
		}
	}
	return [...words]
}

/** What the meter shows under the bar: the warning, then the most specific suggestion. */
export function strengthFeedback(feedback: ZxcvbnResult['feedback']): string[] {
	// zxcvbn puts its generic "add another word" first and the suggestion for the match last.
	const suggestion = feedback.suggestions.at(-1)
	return [feedback.warning, suggestion].filter((message): message is string => Boolean(message))
}

/**
 * zxcvbn's messages. The library ships only keys (its English text is a separate package); these
 * follow Foyer's policy: length and unrelated words, no composition rules.
 */
export const STRENGTH_TRANSLATIONS: TranslationKeys = {
	warnings: {
		straightRow: 'Rows of keys on the keyboard are easy to guess.',
		keyPattern: 'Short keyboard patterns are easy to guess.',
		simpleRepeat: 'Repeated characters like “aaa” are easy to guess.',
		extendedRepeat: 'Repeated patterns like “abcabcabc” are easy to guess.',
		sequences: 'Sequences like “abc” or “123” are easy to guess.',
		recentYears: 'Recent years are easy to guess.',
		dates: 'Dates are easy to guess.',
		topTen: 'This is one of the most used passwords.',
		topHundred: 'This is a very common password.',
		common: 'This is a common password.',
		similarToCommon: 'This is close to a common password.',
		wordByItself: 'A single word is easy to guess.',
		namesByThemselves: 'Names on their own are easy to guess.',
		commonNames: 'Common names are easy to guess.',
		userInputs: 'Avoid your email address and the organization’s name.',
		pwned: 'This password has appeared in a data breach.',
	},
	suggestions: {
		l33t: 'Swapping letters for look-alikes (@ for a) does not help much.',
		reverseWords: 'Words spelled backwards are easy to guess.',
		allUppercase: 'Capitals throughout do not help much.',
		capitalization: 'A capital first letter does not help much.',
		dates: 'Avoid dates that mean something to you.',
		recentYears: 'Avoid recent years.',
		associatedYears: 'Avoid years that mean something to you.',
		sequences: 'Avoid sequences.',
		repeated: 'Avoid repeated words and characters.',
		longerKeyboardPattern: 'Avoid keyboard patterns.',
		anotherWord: 'Add another word or two, less common ones.',
		useWords: 'Use a few unrelated words.',
		noNeed: 'No symbols, digits or capitals needed: length matters most.',
		pwned: 'If you use this password anywhere else, change it there.',
	},
	// Required by the type; the meter shows no crack times.
	timeEstimation: {
		ltSecond: 'less than a second',
		second: '1 second',
		seconds: '{base} seconds',
		minute: '1 minute',
		minutes: '{base} minutes',
		hour: '1 hour',
		hours: '{base} hours',
		day: '1 day',
		days: '{base} days',
		month: '1 month',
		months: '{base} months',
		year: '1 year',
		years: '{base} years',
		centuries: 'centuries',
	},
}

type ZxcvbnCore = { ZxcvbnFactory: typeof ZxcvbnFactory }
type ZxcvbnCommon = { dictionary: Record<string, string[]>; adjacencyGraphs: NonNullable<OptionsType['graphs']> }

export type StrengthChecker = (password: string, userInputs: string[]) => ZxcvbnResult

/**
 * A zxcvbn instance with the common dictionaries and keyboard layouts, from the modules the
 * caller loaded (a dynamic import in the browser, a static one in tests), so both score alike.
 */
export function createStrengthChecker(core: ZxcvbnCore, common: ZxcvbnCommon): StrengthChecker {
	const zxcvbn = new core.ZxcvbnFactory({
		dictionary: { ...common.dictionary },
		graphs: common.adjacencyGraphs,
		translations: STRENGTH_TRANSLATIONS,
		// Also catches near-misses of listed passwords (`passw0rdd`), on the whole password only.
		useLevenshteinDistance: true,
	})
	return (password, userInputs) => zxcvbn.check(normalizePassword(password), userInputs)
}
