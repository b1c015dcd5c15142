import { Router } from 'express'
import pg from 'pg'
import { migrationStatus } from '../utils/migrate.server'

/**
 * Probes answer on any host (load balancers probe by IP) and never touch an org.
 * /healthz: the process serves requests. /readyz: the database answers and every committed
 * migration is applied; 503 otherwise.
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
		try {
			const { pending, failed } = await migrationStatus(pool)
			if (pending.length || failed.length) return res.status(503).json({ status: 'migrations pending', pending, failed })
			res.json({ status: 'ready' })
		} catch {
			res.status(503).json({ status: 'database unreachable' })
		}
	})
	return router
}
