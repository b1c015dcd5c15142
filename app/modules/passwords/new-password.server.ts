import { type ResolvedOrg } from '../orgs/resolve.server'
import { loadPasswordBlocklist } from './blocklist.server'
import { checkPassword, type PasswordCheck } from './policy'

/**
 * The full policy for a password someone is choosing (sign-up, reset, change) in this org: its
 * minimum length, the blocklist, and the context words (email local part, org name and slug).
 */
export async function checkNewPassword(org: Pick<ResolvedOrg, 'name' | 'slug' | 'settings'>, password: string, email: string): Promise<PasswordCheck> {
	return checkPassword(password, {
		minLength: org.settings.passwordMinLength,
		context: [email.split('@')[0] ?? '', org.name, org.slug],
		blocklist: await loadPasswordBlocklist(),
	})
}
