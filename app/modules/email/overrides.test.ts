import { describe, expect, test } from 'vitest'
import { EMAIL_TEMPLATE_NAMES } from '../../../emails'
import {
	fieldProblems,
	fillVariables,
	FIELD_LIMITS,
	isOverrideTemplate,
	normalizeFieldValue,
	OVERRIDE_TEMPLATES,
	overrideFormSchema,
	overrideProblems,
	TEMPLATE_SPECS,
	usableOverride,
	variablesFor,
} from './overrides'

describe('the catalogue', () => {
	test('covers every email template the mailer sends, and the text message', () => {
		expect(OVERRIDE_TEMPLATES.toSorted()).toEqual([...EMAIL_TEMPLATE_NAMES, 'sms-code'].toSorted())
	})

	test('names only real templates', () => {
		expect(isOverrideTemplate('verify-email')).toBe(true)
		expect(isOverrideTemplate('toString')).toBe(false)
		expect(isOverrideTemplate('__proto__')).toBe(false)
	})

	test('a required variable is always one the template has, in a field it has', () => {
		for (const [template, spec] of Object.entries(TEMPLATE_SPECS)) {
			for (const [field, required] of Object.entries(spec.required)) {
				expect(spec.fields, template).toContain(field)
				for (const { variable } of required) expect(spec.variables as readonly string[], template).toContain(variable)
			}
		}
	})

	test('links and codes are offered for the intro only', () => {
		expect(variablesFor('verify-email', 'intro')).toEqual(expect.arrayContaining(['link', 'code']))
		for (const field of ['subject', 'heading', 'button'] as const) {
			expect(variablesFor('verify-email', field)).not.toContain('code')
			expect(variablesFor('verify-email', field)).not.toContain('link')
		}
	})
})

describe('variables', () => {
	test('a known variable, with or without spaces inside the braces', () => {
		expect(fieldProblems('verify-email', 'subject', 'Welcome to {{org.name}}, {{ user.email }}')).toEqual([])
		expect(fieldProblems('invitation', 'intro', '{{  inviter.name  }} asks you to join as {{role}}')).toEqual([])
	})

	test('an unknown variable is refused, naming the field and the variable and listing the real ones', () => {
		const [problem] = fieldProblems('magic-link', 'heading', 'Hello {{user.name}}')
		expect(problem).toContain('Heading')
		expect(problem).toContain('{{user.name}}')
		expect(problem).toContain('{{org.name}}')
	})

	test("another template's variable is unknown here", () => {
		expect(fieldProblems('reset-password', 'intro', 'Your code: {{code}}')[0]).toMatch(/Intro: unknown variable \{\{code\}\}/)
		expect(fieldProblems('magic-link', 'intro', 'Invited as {{role}}')[0]).toMatch(/unknown variable \{\{role\}\}/)
	})

	test('variable names are case-sensitive', () => {
		expect(fieldProblems('verify-email', 'subject', '{{Org.Name}}')[0]).toMatch(/not a variable|unknown variable/)
	})

	test('never a code or a link in a subject, a heading or a button', () => {
		for (const field of ['subject', 'heading', 'button'] as const) {
			const problems = fieldProblems('verify-email', field, 'Your code {{code}}')
			expect(problems, field).toHaveLength(1)
			expect(problems[0]).toMatch(/\{\{code\}\} can only go in the intro/)
			expect(fieldProblems('magic-link', field, 'Open {{ link }}')[0]).toMatch(/\{\{link\}\} can only go in the intro/)
		}
		expect(fieldProblems('sign-in-code', 'subject', '{{code}} is your code')[0]).toMatch(/^Subject: /)
		expect(fieldProblems('verify-email', 'intro', 'Use {{code}} or open {{link}}')).toEqual([])
	})

	test('malformed braces are refused', () => {
		for (const value of ['Hello {{org.name}', 'Hello {{', 'Hello }}', '{{code}}}', '{{{code}}}', 'Hi {org.name}', '{{}}', '{{ org name }}', '{{org.name}}{', '{ {code} }']) {
			const problems = fieldProblems('verify-email', 'intro', value)
			expect(problems.length, value).toBeGreaterThan(0)
			expect(problems.join(' '), value).toMatch(/^Intro/)
		}
	})

	test('a field missing its required variable is refused, saying why', () => {
		expect(fieldProblems('sms-code', 'body', 'Your {{org.name}} sign-in code is ready')).toEqual(['Message must contain {{code}}: the message exists to carry it.'])
		expect(fieldProblems('email-changed', 'intro', 'Your address was changed.')[0]).toMatch(/Intro must contain \{\{new_email\}\}/)
		expect(fieldProblems('invitation', 'intro', 'Join us!')[0]).toMatch(/Intro must contain \{\{role\}\}/)
		expect(fieldProblems('backup-code-used', 'intro', 'A code was used.')[0]).toMatch(/\{\{codes_left\}\}/)
		expect(fieldProblems('password-changed', 'intro', 'Password changed.')[0]).toMatch(/\{\{when\}\}/)
		// Satisfied, and only asked of the field that must carry it.
		expect(fieldProblems('sms-code', 'body', '{{ code }} signs you in to {{org.name}}')).toEqual([])
		expect(fieldProblems('invitation', 'subject', 'Join us!')).toEqual([])
	})

	test('an empty field is no override and needs nothing', () => {
		expect(fieldProblems('sms-code', 'body', '   ')).toEqual([])
	})

	test('a field the template does not have is refused', () => {
		expect(fieldProblems('sign-in-code', 'button', 'Sign in')[0]).toMatch(/no button label/)
		expect(fieldProblems('verify-email', 'body', 'x')[0]).toMatch(/no message/)
	})

	test('length limits per field, as typed', () => {
		expect(fieldProblems('verify-email', 'subject', 'x'.repeat(FIELD_LIMITS.subject))).toEqual([])
		expect(fieldProblems('verify-email', 'subject', 'x'.repeat(FIELD_LIMITS.subject + 1))).toEqual([`Subject: at most ${FIELD_LIMITS.subject} characters.`])
		expect(fieldProblems('verify-email', 'button', 'x'.repeat(FIELD_LIMITS.button + 1))[0]).toMatch(/Button label: at most/)
		expect(fieldProblems('sms-code', 'body', `{{code}}${'x'.repeat(FIELD_LIMITS.body)}`)[0]).toMatch(/Message: at most/)
	})

	test('no control characters or direction overrides; line breaks become spaces', () => {
		expect(fieldProblems('verify-email', 'subject', 'Hi\u0000there')[0]).toMatch(/control characters/)
		expect(fieldProblems('verify-email', 'subject', 'Invoice \u202Efdp.exe')[0]).toMatch(/control characters/)
		expect(normalizeFieldValue('Line one\r\nBcc: x@evil.test\n\tthree ')).toBe('Line one Bcc: x@evil.test three')
		expect(fieldProblems('verify-email', 'subject', 'Line one\r\nline two')).toEqual([])
	})

	test('markup is text, not refused: it is escaped where it is rendered', () => {
		expect(fieldProblems('verify-email', 'heading', '<script>alert(1)</script> & <b>bold</b>')).toEqual([])
	})
})

describe('fillVariables', () => {
	test('fills each variable once, spaces tolerated', () => {
		expect(fillVariables('{{org.name}} · {{ user.email }} · {{org.name}}', { 'org.name': 'Acme', 'user.email': 'a@b.test' })).toBe('Acme · a@b.test · Acme')
	})

	test('a value that looks like a variable stays text: nothing is filled in twice', () => {
		const values = { 'inviter.name': '{{code}}', code: '123456', role: '}}}{{' }
		expect(fillVariables('{{inviter.name}} invited you as {{role}}', values)).toBe('{{code}} invited you as }}}{{')
	})

	test('leaves markup as it is (escaping is the renderer’s job)', () => {
		expect(fillVariables('<b>{{org.name}}</b>', { 'org.name': '<script>' })).toBe('<b><script></b>')
	})
})

describe('the form schema', () => {
	test('keeps the filled fields, normalized; empty ones mean the default', () => {
		const parsed = overrideFormSchema('verify-email').safeParse({ subject: '  Welcome\n to {{org.name}} ', heading: '', intro: undefined })
		expect(parsed.success).toBe(true)
		expect(parsed.data).toEqual({ subject: 'Welcome to {{org.name}}' })
	})

	test('puts every problem on its field', () => {
		const parsed = overrideFormSchema('sms-code').safeParse({ body: 'Hello {{user.email}}' })
		expect(parsed.success).toBe(false)
		const issues = parsed.error!.issues.map((issue) => [issue.path.join('.'), issue.message])
		expect(issues).toEqual([
			['body', expect.stringMatching(/unknown variable \{\{user.email\}\}/)],
			['body', 'Message must contain {{code}}: the message exists to carry it.'],
		])
	})

	test('overrideProblems is empty for a valid set', () => {
		expect(overrideProblems('invitation', { subject: 'Join {{org.name}}', intro: '{{inviter.name}} invites you as {{role}}.', button: 'Join' })).toEqual({})
	})
})

describe('usableOverride', () => {
	test('keeps what passes, drops what no longer does, ignores what is not a field', () => {
		const stored = { subject: 'Hi {{org.name}}', heading: 'Old {{removed_variable}}', intro: 42, extra: 'x', button: '' }
		expect(usableOverride('magic-link', stored)).toEqual({ subject: 'Hi {{org.name}}' })
		expect(usableOverride('magic-link', null)).toEqual({})
		expect(usableOverride('magic-link', 'nonsense')).toEqual({})
	})
})
