/**
 * The body an org's SMS gateway receives, from the org's template. Rules:
 * - placeholders are `{{to}}` (E.164), `{{body}}` (the whole text; `{{message}}` is the same) and
 *   `{{code}}` (the code alone, for gateways that build their own text);
 * - in a JSON body a value is JSON-string-escaped, so the template puts it inside quotes and no
 *   value can end the string (an org name like `", "admin": true` stays text); in a form body it
 *   is URL-encoded; any other content type gets the value as is;
 * - unknown `{{...}}` are left alone, so a typo shows up in the gateway's answer, not as silence.
 */
export type SmsTemplateValues = { to: string; body: string; code: string }

export const DEFAULT_JSON_TEMPLATE = '{"to":"{{to}}","body":"{{body}}"}'
export const DEFAULT_FORM_TEMPLATE = 'to={{to}}&body={{body}}'
export const DEFAULT_CONTENT_TYPE = 'application/json'

export function mediaType(contentType: string): string {
	return contentType.split(';')[0]!.trim().toLowerCase()
}

export function isJsonContentType(contentType: string): boolean {
	const type = mediaType(contentType)
	return type === 'application/json' || type.endsWith('+json')
}

export function isFormContentType(contentType: string): boolean {
	return mediaType(contentType) === 'application/x-www-form-urlencoded'
}

export function defaultBodyTemplate(contentType: string): string {
	return isFormContentType(contentType) ? DEFAULT_FORM_TEMPLATE : DEFAULT_JSON_TEMPLATE
}

export function renderSmsTemplate(template: string, values: SmsTemplateValues, contentType: string): string {
	const escape = isJsonContentType(contentType) ? jsonStringContent : isFormContentType(contentType) ? encodeURIComponent : (value: string) => value
	return template.replace(/\{\{\s*(to|body|message|code)\s*\}\}/g, (_match, name: string) => {
		const value = name === 'to' ? values.to : name === 'code' ? values.code : values.body
		return escape(value)
	})
}

/**
 * Checks an org's template before it is stored: a JSON template must give valid JSON for any
 * values, which it does exactly when it gives valid JSON for values full of quotes.
 */
export function templateProblem(template: string, contentType: string): string | null {
	if (template.length === 0) return 'the body template is empty'
	if (template.length > 4096) return 'the body template is longer than 4096 characters'
	if (!/\{\{\s*(body|message|code)\s*\}\}/.test(template)) return 'the body template has no {{body}} or {{code}} placeholder'
	if (isJsonContentType(contentType)) {
		const sample = renderSmsTemplate(template, { to: '+10000000000', body: 'a "quoted"\n\\ text', code: '000000' }, contentType)
		try {
			JSON.parse(sample)
		} catch {
			return 'the body template is not valid JSON once filled in (put each placeholder inside quotes)'
		}
	}
	return null
}

/** The inside of a JSON string literal: quotes, backslashes and control characters escaped. */
function jsonStringContent(value: string): string {
	return JSON.stringify(value).slice(1, -1).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/**
 * The text of a sign-in or verification code: Foyer's wording, or the org's (`body`, already
 * filled in: app/modules/email/overrides.ts requires it to carry the code). The last line is
 * always Foyer's, the WebOTP / one-time-code format (`@host #code`), so browsers can offer the
 * code on the org's own host and nowhere else.
 */
export function smsCodeText(code: string, orgName: string, host: string, body?: string): string {
	return `${body || defaultSmsBody(code, orgName)}\n\n@${host} #${code}`
}

export function defaultSmsBody(code: string, orgName: string): string {
	return `${code} is your ${orgName} code. Don't share it.`
}
