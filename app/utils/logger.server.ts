import pino from 'pino'
import { redactUrl } from './log-redaction.server'

/**
 * The one logger: structured JSON; request logs carry the request id (server/app.ts).
 * The CLI sends it to stderr, so `--json` output on stdout stays exactly one object.
 * A `url` field is logged without the one-time secrets it may carry (log-redaction.server.ts).
 */
export const logger = pino(
	{
		level: process.env['LOG_LEVEL'] ?? 'info',
		base: undefined,
		redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
		serializers: { url: redactUrl },
	},
	pino.destination(process.env['FOYER_CLI'] ? 2 : 1),
)
