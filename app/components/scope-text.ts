/** What each scope lets an app do, in the words the consent page and the account page use. */
const SCOPE_TEXT: Record<string, string> = {
	openid: 'Know who you are',
	email: 'See your email address',
	profile: 'See your name',
	offline_access: 'Stay signed in when you are not using it',
}

export function scopeText(scope: string): string {
	return SCOPE_TEXT[scope] ?? scope
}
