import { configureThrottleStore } from '../modules/ratelimit/throttle.server'
import { configure } from '../utils/config.server'
import { connectDb } from '../utils/db.server'
import { parseEnv, type Env } from '../utils/env.server'
import { migrate } from '../utils/migrate.server'
import { dataDir } from '../utils/paths.server'
import { ensureDatabase } from '../utils/postgres.server'
import { connectRedis, disconnectRedis } from '../utils/redis.server'
import { loadSecrets, type Secrets } from '../utils/secrets.server'

export type Booted = { env: Env; secrets: Secrets; database: { url: string; embedded: boolean; stop(): Promise<void> } }

/**
 * What the server and the CLI both do first: parse the environment, load (or generate) secrets,
 * reach the database (embedded unless DATABASE_URL; a running server's embedded database is
 * shared), apply committed migrations and connect Prisma; with REDIS_URL, connect Redis and keep
 * rate-limit counters there (the CLI passes `redis: false`: it checks no secrets). `database.stop()` also closes Redis, since both callers already call
 * it last: an open Redis socket would keep the CLI from exiting.
 */
export async function boot(log: (message: string) => void, options: { redis?: boolean } = {}): Promise<Booted> {
	const env = parseEnv()
	const dir = dataDir()
	const secrets = loadSecrets({ dataDir: dir, production: env.production })
	configure({ env, secrets })
	const database = await ensureDatabase({ dataDir: dir, log })
	const stop = async () => {
		await disconnectRedis()
		await database.stop()
	}
	try {
		await migrate(database.url, { log })
		connectDb(database.url)
		if (env.REDIS_URL && options.redis !== false) configureThrottleStore({ redis: await connectRedis(env.REDIS_URL), keyPrefix: env.REDIS_KEY_PREFIX })
	} catch (error) {
		await stop()
		throw error
	}
	return { env, secrets, database: { ...database, stop } }
}
