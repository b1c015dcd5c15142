import { generatePassword } from '../../utils/crypto.server'
import { db } from '../../utils/db.server'
import { createUser } from '../users/users.server'
import { createOrg, OrgSlugTakenError } from './orgs.server'

export type InitialAdmin = { org: string; slug: string; email: string; password: string }

/**
 * First start only (no operator org yet): the operator org, plus the demo org `acme` unless
 * disabled, each with an owner whose generated password is returned to be printed once.
 * Later starts create nothing, even if the demo org was deleted on purpose.
 */
export async function createInitialOrgs(options: { baseDomain: string; demo: boolean }): Promise<InitialAdmin[]> {
	if (await db().organization.findFirst({ where: { isOperator: true }, select: { id: true } })) return []
	const admins: InitialAdmin[] = []
	const plan = [
		{ org: { name: 'Foyer', slug: 'operator', brandColor: '#4f46e5', themeId: 'default' }, isOperator: true, email: `admin@operator.${options.baseDomain}` },
		...(options.demo ? [{ org: { name: 'Acme', slug: 'acme', brandColor: '#c2410c', themeId: 'default' }, isOperator: false, email: `admin@acme.${options.baseDomain}` }] : []),
	]
	for (const step of plan) {
		try {
			const org = await createOrg(step.org, { isOperator: step.isOperator })
			const password = generatePassword()
			await createUser({ organizationId: org.id, email: step.email, password, role: 'owner' }, { actorId: null })
			admins.push({ org: org.name, slug: org.slug, email: step.email, password })
		} catch (error) {
			// Another process started at the same moment and created it: nothing to print here.
			if (!(error instanceof OrgSlugTakenError)) throw error
		}
	}
	return admins
}
