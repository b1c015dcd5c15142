import { type Prisma } from '../../generated/prisma/client'
import { announceChange } from '../../utils/changes.server'
import { config } from '../../utils/config.server'
import { db } from '../../utils/db.server'
import { recordAuditEvent, type AuditContext } from '../audit/audit.server'
import { newSenderAddressProblem, type SenderRules } from './sender'
import { applySettingChanges, parseOrgSettings, parseSettingOverrides, type OrgSettings, type SettingChanges } from './settings'

/**
 * Reading and writing sign-in settings. Writes are whole-object checked (settings.ts), stored as
 * overrides only, audited in the same transaction, and announced so every server re-reads them.
 */
export const PLATFORM_DEFAULTS_KEY = 'orgSettingsDefaults'

let defaults: Partial<OrgSettings> = {}

/** The operator's defaults for every org, as loaded at start and after each change. */
export function platformDefaults(): Partial<OrgSettings> {
	return defaults
}

export async function loadPlatformDefaults(): Promise<Partial<OrgSettings>> {
	const row = await db().platformSetting.findUnique({ where: { key: PLATFORM_DEFAULTS_KEY } })
	defaults = parseSettingOverrides(row?.value)
	return defaults
}

/** What an org without an allowed address of its own sends from: the operator's default, else MAIL_FROM, else no-reply@<base domain>. */
export function platformSenderAddress(platform: Partial<OrgSettings> = defaults): string {
	const { env } = config()
	return platform.emailSenderAddress ?? env.MAIL_FROM ?? `no-reply@${env.FOYER_BASE_DOMAIN}`
}

/** The sender rules (sender.ts) of an org: its operator-set domains and the platform's sender. */
export function senderRulesFor(org: { senderDomains: readonly string[] | null }, platform?: Partial<OrgSettings>): SenderRules {
	return { senderDomains: org.senderDomains ?? [], platformSender: platformSenderAddress(platform) }
}

export class SettingsError extends Error {
	constructor(readonly errors: string[]) {
		super(errors.join('; '))
	}
}

type Change = { from: unknown; to: unknown }

/** Changes one org's settings; throws SettingsError with field messages when the result is invalid. */
export async function updateOrgSettings(organizationId: string, changes: SettingChanges, context: AuditContext = {}) {
	const result = await db().$transaction(async (tx) => {
		// The row lock makes concurrent writers apply one after the other, so neither loses the other's keys.
		const [row] = await tx.$queryRaw<{ settings: unknown; senderDomains: string[] | null }[]>`SELECT settings, "senderDomains" FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`
		if (!row) throw new SettingsError(['organization not found'])
		const platform = await readDefaults(tx)
		const applied = applySettingChanges(row.settings, changes, platform)
		if (!applied.ok) throw new SettingsError(applied.errors)
		const senderProblem = newSenderAddressProblem(parseSettingOverrides(row.settings).emailSenderAddress, applied.overrides.emailSenderAddress, senderRulesFor(row, platform))
		if (senderProblem) throw new SettingsError([`emailSenderAddress: ${senderProblem}`])
		const before = parseOrgSettings(row.settings, platform)
		const diff = difference(before, applied.settings)
		// Keys now set (or no longer set) here whose value in effect stays the same: pinning a value
		// against later changes of the defaults (or following them again) is a change too.
		const pinned = pinnedKeys(row.settings, applied.overrides, diff)
		if (Object.keys(diff).length === 0 && Object.keys(pinned).length === 0) return { settings: applied.settings, changed: diff }
		await tx.organization.update({ where: { id: organizationId }, data: { settings: applied.overrides as Prisma.InputJsonObject } })
		await recordAuditEvent(tx, {
			organizationId,
			type: 'org.settings_changed',
			targetType: 'organization',
			targetId: organizationId,
			data: { changes: diff, ...(Object.keys(pinned).length ? { overrides: pinned } : {}) },
			...context,
		})
		return { settings: applied.settings, changed: diff }
	})
	if (Object.keys(result.changed).length) await announceChange({ type: 'org', id: organizationId })
	return result
}

/** Changes the defaults every org inherits; audited in the operator org's log. */
export async function updatePlatformDefaults(changes: SettingChanges, context: AuditContext & { operatorOrgId: string }) {
	const { operatorOrgId, ...audit } = context
	const result = await db().$transaction(async (tx) => {
		await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'platform-defaults'}, 0))`
		const current = await readDefaults(tx)
		const applied = applySettingChanges(current, changes, {})
		if (!applied.ok) throw new SettingsError(applied.errors)
		const diff = difference(parseOrgSettings({}, current), applied.settings)
		await tx.platformSetting.upsert({
			where: { key: PLATFORM_DEFAULTS_KEY },
			create: { key: PLATFORM_DEFAULTS_KEY, value: applied.overrides as Prisma.InputJsonObject },
			update: { value: applied.overrides as Prisma.InputJsonObject },
		})
		if (Object.keys(diff).length) {
			await recordAuditEvent(tx, {
				organizationId: operatorOrgId,
				type: 'platform.defaults_changed',
				targetType: 'platform',
				targetId: PLATFORM_DEFAULTS_KEY,
				data: { changes: diff },
				...audit,
			})
		}
		return { defaults: applied.overrides, changed: diff }
	})
	if (Object.keys(result.changed).length) await announceChange({ type: 'defaults' })
	return result
}

async function readDefaults(tx: Prisma.TransactionClient) {
	const row = await tx.platformSetting.findUnique({ where: { key: PLATFORM_DEFAULTS_KEY } })
	return parseSettingOverrides(row?.value)
}

/** `{ key: value }` for a key newly overridden, `{ key: null }` for one released, leaving out keys in `diff`. */
function pinnedKeys(storedBefore: unknown, overridesAfter: Partial<OrgSettings>, diff: Record<string, Change>): Record<string, unknown> {
	const before = parseSettingOverrides(storedBefore) as Record<string, unknown>
	const after = parseSettingOverrides(overridesAfter) as Record<string, unknown>
	const pinned: Record<string, unknown> = {}
	for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
		if (key in diff || (key in before) === (key in after)) continue
		pinned[key] = after[key] ?? null
	}
	return pinned
}

function difference(before: OrgSettings, after: OrgSettings): Record<string, Change> {
	const diff: Record<string, Change> = {}
	const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof OrgSettings>
	for (const key of keys) {
		if (before[key] !== after[key]) diff[key] = { from: before[key] ?? null, to: after[key] ?? null }
	}
	return diff
}
