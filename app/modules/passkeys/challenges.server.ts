import crypto from 'node:crypto'
import { createCookie } from '@remix-run/node'
import { z } from 'zod'
import { type RequestContext } from '../../context'
import { config } from '../../utils/config.server'
import { logger } from '../../utils/logger.server'
import { redis } from '../../utils/redis.server'

/**
 * WebAuthn challenges. Rules:
 * - a challenge is stored server-side under a random id (256 bits); the browser holds only that id,
 *   in a short-lived signed cookie;
 * - it is single-use: reading it deletes it, atomically (Redis GETDEL; a Map delete in-process), so
 *   two requests racing with one response can never both verify;
 * - it expires after CHALLENGE_TTL_SECONDS, and is bound to its purpose, org, host and (for
 *   registration and second factors) user; the caller checks those after taking it.
 *
 * With REDIS_URL every instance sees the same challenges; without it, they live in this process.
 * When Redis fails, the in-process map stands in (one instance still works; several need Redis up).
 */
export const CHALLENGE_TTL_SECONDS = 300

export const CHALLENGE_PURPOSES = ['registration', 'sign-in', 'second-factor'] as const
export type ChallengePurpose = (typeof CHALLENGE_PURPOSES)[number]

const storedSchema = z.object({
	purpose: z.enum(CHALLENGE_PURPOSES),
	challenge: z.string().min(16).max(512),
	organizationId: z.string().min(1).max(100),
	rpId: z.string().min(1).max(253),
	origin: z.string().min(1).max(300),
	/** The user registering or passing a second factor; null for passwordless sign-in. */
	userId: z.string().max(100).nullable(),
	expiresAt: z.number(),
})

export type StoredChallenge = z.infer<typeof storedSchema>

/** The in-process store's ceiling: beyond it the oldest challenges go first. */
const MEMORY_LIMIT = 10_000
const memory = new Map<string, { value: string; expiresAt: number }>()

const cookieFor = (context: Pick<RequestContext, 'secure'>) =>
	createCookie(context.secure ? '__Host-passkey' : 'passkey', {
		httpOnly: true,
		sameSite: 'strict',
		secure: context.secure,
		path: '/',
		maxAge: CHALLENGE_TTL_SECONDS,
		secrets: [config().secrets.sessionSecret],
	})

const redisKey = (id: string) => `${config().env.REDIS_KEY_PREFIX}passkey-challenge:${id}`

/** Stores a new challenge and returns the Set-Cookie value that names it. */
export async function saveChallenge(context: Pick<RequestContext, 'secure'>, input: Omit<StoredChallenge, 'expiresAt'>): Promise<string> {
	const id = crypto.randomBytes(32).toString('base64url')
	const expiresAt = Date.now() + CHALLENGE_TTL_SECONDS * 1000
	const value = JSON.stringify({ ...input, expiresAt } satisfies StoredChallenge)
	const client = redis()
	let saved = false
	if (client) {
		try {
			await client.set(redisKey(id), value, 'EX', CHALLENGE_TTL_SECONDS)
			saved = true
		} catch (error) {
			logger.warn({ err: error }, 'redis unreachable: passkey challenge kept in this process')
		}
	}
	if (!saved) saveInMemory(id, value, expiresAt)
	return cookieFor(context).serialize(id)
}

/**
 * Takes (and so deletes) the challenge this request's cookie names. Null when there is none, it
 * was already used, it expired, or it is not for `purpose` on this org and host.
 */
export async function takeChallenge(
	request: Request,
	context: Pick<RequestContext, 'secure' | 'org'>,
	expected: { purpose: ChallengePurpose; rpId: string; origin: string },
): Promise<StoredChallenge | null> {
	const id: unknown = await cookieFor(context).parse(request.headers.get('cookie'))
	if (typeof id !== 'string' || !/^[\w-]{43}$/.test(id)) return null
	let raw: string | null = null
	const client = redis()
	if (client) {
		try {
			raw = await client.getdel(redisKey(id))
		} catch (error) {
			logger.warn({ err: error }, 'redis unreachable: looking for the passkey challenge in this process')
		}
	}
	const local = memory.get(id)
	memory.delete(id)
	raw ??= local && local.expiresAt > Date.now() ? local.value : null
	if (!raw) return null
	let parsed: ReturnType<typeof storedSchema.safeParse>
	try {
		parsed = storedSchema.safeParse(JSON.parse(raw))
	} catch {
		return null
	}
	if (!parsed.success) return null
	const stored = parsed.data
	if (stored.expiresAt <= Date.now()) return null
	if (stored.purpose !== expected.purpose || stored.organizationId !== context.org.id || stored.rpId !== expected.rpId || stored.origin !== expected.origin) return null
	return stored
}

/** Set-Cookie value that removes the challenge cookie (sent with every verification answer). */
export function clearChallengeCookie(context: Pick<RequestContext, 'secure'>): Promise<string> {
	return cookieFor(context).serialize('', { maxAge: 0 })
}

function saveInMemory(id: string, value: string, expiresAt: number) {
	const now = Date.now()
	// Entries are in insertion order, so expired ones sit at the front: sweep them, then cap the size.
	for (const [key, entry] of memory) {
		if (entry.expiresAt > now && memory.size < MEMORY_LIMIT) break
		memory.delete(key)
	}
	memory.set(id, { value, expiresAt })
}
