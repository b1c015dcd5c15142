import { foyer } from './cli'
import { orgs } from './fixtures'

/**
 * Runs after the web server is up, with the `foyer` CLI (which reaches the server's embedded
 * PostgreSQL through the same data dir):
 * - creates the second org, `globex`; the server serves it at once (org lookups cache only hits);
 * - creates an admin of the operator org for the operator console specs. The server prints the
 *   first admin's password on first start, but Playwright does not hand its output to tests;
 *   this admin's password reaches the workers through the environment (workers start after
 *   global setup and inherit it).
 * The data dir is removed by playwright.config.ts when the run ends.
 */
export default async function globalSetup() {
	const { globex } = orgs
	const org = JSON.parse(await foyer(['orgs', 'create', '--name', globex.name, '--slug', globex.slug, '--color', globex.color, '--json'])) as { slug?: string }
	if (org.slug !== globex.slug) throw new Error(`foyer orgs create printed ${JSON.stringify(org)}`)

	const admin = JSON.parse(await foyer(['users', 'create', '--org', 'operator', '--email', 'e2e-operator@example.com', '--admin', '--json'])) as { email?: string; password?: string }
	if (!admin.email || !admin.password) throw new Error('foyer users create printed no email or password')
	process.env.FOYER_E2E_OPERATOR_EMAIL = admin.email
	process.env.FOYER_E2E_OPERATOR_PASSWORD = admin.password
}
