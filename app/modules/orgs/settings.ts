import { z } from 'zod'

/**
 * Per-org sign-in settings, stored as JSON on the org and always read through this schema, so a
 * missing key takes its default and an old row never breaks a newer build.
 */
export const orgSettingsSchema = z.object({
	/** Minutes without activity after which a session ends. @default 4320 (3 days) */
	sessionIdleMinutes: z.number().int().min(5).max(525_600).default(4320),
	/** Minutes after sign-in after which a session ends whatever the activity. @default 43200 (30 days) */
	sessionAbsoluteMinutes: z.number().int().min(5).max(525_600).default(43_200),
	/** @default 15 (NIST SP 800-63B-4 for single-factor passwords; 8 arrives with required MFA) */
	passwordMinLength: z.number().int().min(15).max(64).default(15),
	/** Sign-up on the hosted login. @default 'open' */
	signUpMode: z.enum(['open', 'closed']).default('open'),
})

export type OrgSettings = z.infer<typeof orgSettingsSchema>

export function parseOrgSettings(stored: unknown): OrgSettings {
	const result = orgSettingsSchema.safeParse(stored ?? {})
	// A row written by a future build with values this build rejects falls back to defaults key by key.
	if (result.success) return result.data
	const defaults = orgSettingsSchema.parse({})
	const partial = typeof stored === 'object' && stored ? (stored as Record<string, unknown>) : {}
	const merged: Record<string, unknown> = { ...defaults }
	for (const key of Object.keys(defaults)) {
		const one = orgSettingsSchema.shape[key as keyof OrgSettings].safeParse(partial[key])
		if (one.success) merged[key] = one.data
	}
	return merged as OrgSettings
}
