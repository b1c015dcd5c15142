import fs from 'node:fs'
import path from 'node:path'
import { themesDir } from '../../utils/paths.server'
import { ThemeSchema, type Theme } from './theme-schema'

export type { Theme } from './theme-schema'

/*
 * Base themes are files shipped with Foyer (`themes/<id>/theme.json`), read once at start.
 * A broken file stops the process with a message naming it, rather than surfacing later as
 * an unstyled login page for whichever org happens to use that theme.
 */

export const DEFAULT_THEME_ID = 'default'

/**
 * Reads and validates every `<dir>/<id>/theme.json`. Throws on the first problem: unreadable
 * or malformed JSON, a schema violation, an `id` that differs from its folder, or no
 * `default` theme.
 * @default dir `themes/` at the project root
 */
export function loadThemes(dir: string = themesDir): Map<string, Theme> {
	const themes = new Map<string, Theme>()
	const folders = fs
		.readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.map((entry) => entry.name)
		.sort()
	for (const folder of folders) {
		const file = path.join(dir, folder, 'theme.json')
		const theme = readTheme(file)
		if (theme.id !== folder) {
			throw new Error(`Theme file ${file} is invalid: id '${theme.id}' must match its folder name '${folder}'`)
		}
		themes.set(theme.id, theme)
	}
	if (!themes.has(DEFAULT_THEME_ID)) {
		throw new Error(`No '${DEFAULT_THEME_ID}' theme in ${dir}: expected ${path.join(dir, DEFAULT_THEME_ID, 'theme.json')}`)
	}
	return themes
}

function readTheme(file: string): Theme {
	let raw: unknown
	try {
		raw = JSON.parse(fs.readFileSync(file, 'utf8'))
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		throw new Error(`Theme file ${file} could not be read as JSON: ${reason}`)
	}
	const result = ThemeSchema.safeParse(raw)
	if (!result.success) {
		const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(file)'}: ${issue.message}`)
		throw new Error(`Theme file ${file} is invalid:\n${problems.join('\n')}`)
	}
	// Shared by every request; frozen so one caller cannot restyle every org.
	const { light, dark } = result.data.colors
	return Object.freeze({ ...result.data, colors: Object.freeze({ light: Object.freeze(light), dark: Object.freeze(dark) }) })
}

// Loaded at import so a bad theme fails the server's start, not a visitor's request.
const shipped = loadThemes()

/** The theme with this id; an unknown or missing id (say, a theme since removed) gets `default`. */
export function getTheme(id: string | null | undefined): Theme {
	return (id ? shipped.get(id) : undefined) ?? (shipped.get(DEFAULT_THEME_ID) as Theme)
}

/** Every shipped theme, `default` first, then by name; for the branding studio's picker. */
export function listThemes(): Theme[] {
	return [...shipped.values()].sort(
		(a, b) => Number(b.id === DEFAULT_THEME_ID) - Number(a.id === DEFAULT_THEME_ID) || a.name.localeCompare(b.name),
	)
}
