import { Router } from 'express'
import { migrationStatus } from '../utils/migrate.server'
import { db } from '../utils/db.server'

/**
 * Probes answer on any host (load balancers probe by IP) and never touch an org.
 * /healthz: the process serves requests. /readyz: the database answers and every committed
 * migration is applied; 503 otherwise.
 */
export function healthRoutes(databaseUrl: string) {
	const router = Router()
	router.get('/healthz', (_req, res) => {
		res.setHeader('Cache-Control', 'no-store')
		res.json({ status: 'ok' })
	})
	router.get('/readyz', async (_req, res) => {
		res.setHeader('Cache-Control', 'no-store')
		try {
			await db().$queryRaw`SELECT 1`
			const { pending, failed } = await migrationStatus(databaseUrl)
			if (pending.length || failed.length) return res.status(503).json({ status: 'migrations pending', pending, failed })
			res.json({ status: 'ready' })
		} catch {
			res.status(503).json({ status: 'database unreachable' })
		}
	})
	return router
}
