import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

/**
 * The dev outbox, read straight from the e2e server's database (Epic Stack's `readEmail`): the
 * server has no SMTP_URL, so every message it sends is a row of "OutboxEmail". Specs whose subject
 * is a flow, not the operator console, read mail here instead of through /operator/outbox.
 *
 * The server runs embedded PostgreSQL in FOYER_E2E_DATA_DIR (app/utils/postgres.server.ts): the
 * superuser's password is in `<dataDir>/postgres.json`, the port on line 4 of
 * `<dataDir>/postgres/postmaster.pid`, and Foyer's database is `foyer`.
 */

export type EmailTemplate =
	| 'verify-email'
	| 'reset-password'
	| 'magic-link'
	| 'sign-in-code'
	| 'email-changed'
	| 'email-change-requested'
	| 'password-changed'
	| 'new-sign-in'
	| 'invitation'
	| 'account-exists'
	| 'backup-code-used'
	| 'sms'

export type Email = { id: string; to: string; subject: string; text: string; html: string; template: EmailTemplate }

let pool: pg.Pool | undefined

function database(): pg.Pool {
	if (pool) return pool
	const dataDir = process.env.FOYER_E2E_DATA_DIR
	if (!dataDir) throw new Error('FOYER_E2E_DATA_DIR is not set: run these tests with `npx playwright test`')
	const { user, password } = JSON.parse(fs.readFileSync(path.join(dataDir, 'postgres.json'), 'utf8')) as { user: string; password: string }
	const port = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3] ?? '', 10)
	if (!port) throw new Error(`No port on line 4 of ${path.join(dataDir, 'postgres', 'postmaster.pid')}`)
	// Idle clients must not keep a worker alive once its tests are done.
	pool = new pg.Pool({ host: '127.0.0.1', port, user, password, database: 'foyer', max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true })
	return pool
}

/** Closes this worker's connections (a worker fixture calls it when the worker stops). */
export async function closeOutbox() {
	const open = pool
	pool = undefined
	await open?.end()
}

/**
 * The newest email to `to` (of `template`, when given; newer than `after`, when given), waiting
 * for it: most flows send after answering, so the page can be there before the mail is.
 */
export async function readEmail(to: string, { template, after, timeoutMs = 20_000 }: { template?: EmailTemplate; after?: Email; timeoutMs?: number } = {}): Promise<Email> {
	const deadline = Date.now() + timeoutMs
	for (;;) {
		const { rows } = await database().query<Email>(
			`SELECT id, "to", subject, text, html, template FROM "OutboxEmail"
			WHERE "to" = $1
				AND ($2::text IS NULL OR template = $2)
				AND ($3::text IS NULL OR (id <> $3 AND "createdAt" >= (SELECT "createdAt" FROM "OutboxEmail" WHERE id = $3)))
			ORDER BY "createdAt" DESC LIMIT 1`,
			[to.toLowerCase(), template ?? null, after?.id ?? null],
		)
		if (rows[0]) return rows[0]
		if (Date.now() > deadline) throw new Error(`No ${template ?? ''} email to ${to}${after ? ` newer than ${after.id}` : ''} within ${timeoutMs} ms`)
		await sleep(100)
	}
}

/** How many emails `to` has received (of `template`, when given), without waiting. */
export async function countEmails(to: string, template?: EmailTemplate): Promise<number> {
	const { rows } = await database().query<{ count: string }>(`SELECT count(*) FROM "OutboxEmail" WHERE "to" = $1 AND ($2::text IS NULL OR template = $2)`, [
		to.toLowerCase(),
		template ?? null,
	])
	return Number(rows[0]?.count ?? 0)
}

/** The 6-digit code in an email's plain-text part (on a line of its own; links are skipped). */
export function codeFrom(email: Pick<Email, 'text'>): string {
	const match = /(?:^|\s)(\d{6})(?=\s|$)/.exec(email.text.replace(/https?:\/\/\S+/g, ' '))
	if (!match?.[1]) throw new Error(`No 6-digit code in:\n${email.text}`)
	return match[1]
}

/** The `/verify?token=...` link in an email's plain-text part. */
export function linkFrom(email: Pick<Email, 'text'>): string {
	const match = /https?:\/\/[^\s[\]<>"]+\/verify\?token=[\w-]+/.exec(email.text)
	if (!match) throw new Error(`No /verify link in:\n${email.text}`)
	return match[0]
}

/**
 * Makes the live links and codes of `type` sent to `target` expire now, as half an hour of waiting
 * would (their expiry is set back to before they were made, so no clock or time zone matters).
 */
export async function expireVerifications(target: string, type: 'verify-email' | 'reset-password' | 'magic-link' | 'sign-in-code' | 'change-email') {
	const { rowCount } = await database().query(
		`UPDATE "Verification" SET "expiresAt" = "createdAt" - interval '1 second' WHERE target = $1 AND type = $2 AND "consumedAt" IS NULL`,
		[target.toLowerCase(), type],
	)
	if (!rowCount) throw new Error(`No live ${type} verification for ${target}`)
}

/** SQL straight to the e2e server's database, for arranging what the UI under test is not about (a published branding version, say). */
export async function sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
	return (await database().query(text, values)).rows
}
