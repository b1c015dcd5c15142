import { Router } from 'express'
import pg from 'pg'
import { migrationStatus } from '../utils/migrate.server'
import { pingRedis, redis } from '../utils/redis.server'

/**
 * Probes answer on any host (load balancers probe by IP) and never touch an org.
 * /healthz: the process serves requests. /readyz: the database answers and every committed
 * migration is applied; 503 otherwise. With REDIS_URL it also reports `redis: 'ok' | 'unreachable'`
 * without changing the status: without Redis an instance still signs people in, with per-process
 * rate limits (ratelimit/store.server.ts), and an outage hits every instance at once, so failing
 * readiness on it would take all of them out of the load balancer together.
 */
export function healthRoutes(databaseUrl: string) {
	const router = Router()
	// One small pool of its own: probes every few seconds never open a connection each.
	const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 60_000 })
	pool.on('error', () => {})
	router.get('/healthz', (_req, res) => {
		res.setHeader('Cache-Control', 'no-store')
		res.json({ status: 'ok' })
	})
	router.get('/readyz', async (_req, res) => {
		res.setHeader('Cache-Control', 'no-store')
		const redisCheck = redis() ? pingRedis().then((ok) => ({ redis: ok ? 'ok' : 'unreachable' })) : Promise.resolve({})
		try {
			const { pending, failed } = await migrationStatus(pool)
			if (pending.length || failed.length) return res.status(503).json({ status: 'migrations pending', pending, failed, ...(await redisCheck) })
			res.json({ status: 'ready', ...(await redisCheck) })
		} catch {
			res.status(503).json({ status: 'database unreachable', ...(await redisCheck) })
		}
	})
	return router
}
