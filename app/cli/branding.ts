import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { compileCustomCss } from '../modules/branding/custom-css.server'
import { readStoredDocument, type BrandingDocument } from '../modules/branding/document'
import { BrandingDocumentError, BrandingVersionNotFoundError, listVersions, loadDraft, publishDraft, restoreVersion, saveDraft } from '../modules/branding/versions.server'
import { findOrgBySlug } from '../modules/orgs/orgs.server'
import { db } from '../utils/db.server'
import { CliError, parseFlags, required, UsageError, type Output } from './args'

/**
 * `foyer branding show|set|publish|versions|restore`: the studio's own module
 * (app/modules/branding/versions.server.ts), with the same checks and `branding.*` events (actor:
 * nobody, as for every CLI change). `set` edits the draft by the document's field paths.
 */
type Command<T> = { parse(args: string[]): T; run(options: T, out: Output): Promise<void> }
const command = <T>(definition: Command<T>) => definition as Command<unknown>

const SHOW = 'foyer branding show --org SLUG [--json]'
const SET = 'foyer branding set --org SLUG path=value... [--css-file FILE|-] [--json]   (paths as in the document: colors.light.brand=#0f766e texts.signInHeading="Welcome" securedBy=true; path= clears it)'
const PUBLISH = 'foyer branding publish --org SLUG [--json]'
const VERSIONS = 'foyer branding versions --org SLUG [--json]'
const RESTORE = 'foyer branding restore --org SLUG --version N [--json]'

async function requireOrg(slug: string) {
	const org = await findOrgBySlug(slug.trim().toLowerCase())
	if (!org) throw new CliError(`no organization with slug "${slug}" (foyer orgs list shows them)`)
	return org
}

/** `a.b.c=value` onto a copy of the document; `true`/`false` for booleans, empty for null. */
export function applyAssignment(document: Record<string, unknown>, assignment: string): Record<string, unknown> {
	const eq = assignment.indexOf('=')
	if (eq <= 0) throw new UsageError(`expected path=value, got "${assignment}"\nusage: ${SET}`)
	const path = assignment.slice(0, eq).split('.')
	const raw = assignment.slice(eq + 1)
	const value = raw === '' ? null : raw === 'true' ? true : raw === 'false' ? false : raw
	const copy = structuredClone(document)
	let node: Record<string, unknown> = copy
	for (const key of path.slice(0, -1)) {
		const next = node[key]
		if (typeof next !== 'object' || next === null) throw new UsageError(`no field "${path.join('.')}" in the branding document\nusage: ${SET}`)
		node = next as Record<string, unknown>
	}
	const last = path.at(-1)!
	if (!(last in node)) throw new UsageError(`no field "${path.join('.')}" in the branding document\nusage: ${SET}`)
	// An image is set by what an upload answered: <sha256>.<type>.
	node[last] = typeof value === 'string' && /^[0-9a-f]{64}\.(png|jpeg|webp|svg)$/.test(value) ? { sha256: value.slice(0, 64), type: value.slice(65) } : value
	return copy
}

function problems(error: BrandingDocumentError) {
	return new CliError(error.issues.map((issue) => `${issue.path || 'branding'}: ${issue.message}`).join('\n'), { issues: error.issues })
}

export const brandingCommands: Record<string, Command<unknown>> = {
	'branding show': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, SHOW).values.org, 'org', SHOW) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const [draft, published] = await Promise.all([
				loadDraft(org),
				org.publishedBrandingId ? db().brandingVersion.findUnique({ where: { id: org.publishedBrandingId }, select: { number: true, document: true } }) : null,
			])
			const live: BrandingDocument | null = published ? readStoredDocument(published.document, org) : null
			out.result(
				{ org: org.slug, published: { version: published?.number ?? null, document: live }, draft },
				`${org.slug}: ${published ? `version ${published.number} is published` : 'nothing published yet'}; the draft (revision ${draft.revision}) ${draft.unpublishedChanges ? 'has unpublished changes' : 'is the same'}\n${JSON.stringify(draft.document, null, 2)}`,
			)
		},
	}),

	'branding set': command({
		parse: (args) => {
			const { values, positionals } = (() => {
				try {
					return parseArgs({ args, options: { org: { type: 'string' }, 'css-file': { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true })
				} catch (error) {
					throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nusage: ${SET}`)
				}
			})()
			if (positionals.length === 0 && values['css-file'] === undefined) throw new UsageError(`nothing to set\nusage: ${SET}`)
			return { org: required(values.org, 'org', SET), assignments: positionals, cssFile: values['css-file'] }
		},
		run: async ({ org: slug, assignments, cssFile }, out) => {
			const org = await requireOrg(slug)
			let document = (await loadDraft(org)).document as unknown as Record<string, unknown>
			for (const assignment of assignments) document = applyAssignment(document, assignment)
			if (cssFile !== undefined) {
				try {
					document = { ...document, customCss: fs.readFileSync(cssFile === '-' ? 0 : cssFile, 'utf8') }
				} catch (error) {
					throw new CliError(`could not read ${cssFile}: ${error instanceof Error ? error.message : String(error)}`)
				}
			}
			try {
				const draft = await saveDraft(org, document, { actorId: null })
				out.result({ org: org.slug, draft }, `Draft of ${org.slug} saved (revision ${draft.revision}). Publish it with: foyer branding publish --org ${org.slug}`)
			} catch (error) {
				if (error instanceof BrandingDocumentError) throw problems(error)
				throw error
			}
		},
	}),

	'branding publish': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, PUBLISH).values.org, 'org', PUBLISH) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			try {
				const { number } = await publishDraft(org, compileCustomCss, { actorId: null })
				out.result({ org: org.slug, version: number }, `Published version ${number} of ${org.slug}.`)
			} catch (error) {
				if (error instanceof BrandingDocumentError) throw problems(error)
				throw error
			}
		},
	}),

	'branding versions': command({
		parse: (args) => ({ org: required(parseFlags(args, { org: { type: 'string' } }, VERSIONS).values.org, 'org', VERSIONS) }),
		run: async ({ org: slug }, out) => {
			const org = await requireOrg(slug)
			const versions = await listVersions(org)
			const lines = versions.map((version) => `${String(version.number).padStart(4)}  ${version.publishedAt}  ${version.publishedBy ?? 'the CLI'}${version.restoredFrom ? `  (restores ${version.restoredFrom})` : ''}${version.current ? '  live' : ''}`)
			out.result({ org: org.slug, versions }, lines.length ? lines.join('\n') : `${org.slug} has published nothing yet.`)
		},
	}),

	'branding restore': command({
		parse: (args) => {
			const { values } = parseFlags(args, { org: { type: 'string' }, version: { type: 'string' } }, RESTORE)
			const version = Number(required(values.version, 'version', RESTORE))
			if (!Number.isInteger(version) || version < 1) throw new UsageError(`--version must be a version number\nusage: ${RESTORE}`)
			return { org: required(values.org, 'org', RESTORE), version }
		},
		run: async ({ org: slug, version }, out) => {
			const org = await requireOrg(slug)
			try {
				const { number } = await restoreVersion(org, version, { actorId: null })
				out.result({ org: org.slug, version: number, restoredFrom: version }, `Version ${version} of ${org.slug} is published again, as version ${number}.`)
			} catch (error) {
				if (error instanceof BrandingVersionNotFoundError) throw new CliError(error.message)
				throw error
			}
		},
	}),
}
