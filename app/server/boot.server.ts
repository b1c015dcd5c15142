import { configure } from '../utils/config.server'
import { connectDb } from '../utils/db.server'
import { parseEnv, type Env } from '../utils/env.server'
import { migrate } from '../utils/migrate.server'
import { dataDir } from '../utils/paths.server'
import { ensureDatabase } from '../utils/postgres.server'
import { loadSecrets, type Secrets } from '../utils/secrets.server'

export type Booted = { env: Env; secrets: Secrets; database: { url: string; embedded: boolean; stop(): Promise<void> } }

/**
 * What the server and the CLI both do first: parse the environment, load (or generate) secrets,
 * reach the database (embedded unless DATABASE_URL; a running server's embedded database is
 * shared), apply committed migrations and connect Prisma.
 */
export async function boot(log: (message: string) => void): Promise<Booted> {
	const env = parseEnv()
	const dir = dataDir()
	const secrets = loadSecrets({ dataDir: dir, production: env.production })
	configure({ env, secrets })
	const database = await ensureDatabase({ dataDir: dir, log })
	try {
		await migrate(database.url, { log })
		connectDb(database.url)
	} catch (error) {
		await database.stop()
		throw error
	}
	return { env, secrets, database }
}
