import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { themesDir } from '../../utils/paths.server'
import { isLightColor, LAYOUTS } from './theme-schema'
import { DEFAULT_THEME_ID, getTheme, listThemes, loadThemes } from './theme.server'

describe('shipped themes', () => {
	test('are at least three, one per layout, default (centered) listed first', () => {
		const themes = listThemes()
		expect(themes.length).toBeGreaterThanOrEqual(3)
		expect(themes[0]?.id).toBe(DEFAULT_THEME_ID)
		expect(themes.map((t) => t.id)).toEqual(expect.arrayContaining(['default', 'midnight']))
		expect(getTheme('default').layout).toBe('centered')
		expect(new Set(themes.map((t) => t.layout))).toEqual(new Set(LAYOUTS))
	})

	test('each have a light and a dark palette', () => {
		for (const theme of listThemes()) {
			expect(isLightColor(theme.colors.light.background), theme.id).toBe(true)
			expect(isLightColor(theme.colors.dark.background), theme.id).toBe(false)
		}
	})

	test('match what is on disk', () => {
		const folders = fs.readdirSync(themesDir, { withFileTypes: true }).filter((e) => e.isDirectory())
		expect(listThemes()).toHaveLength(folders.length)
	})

	test.each(['no-such-theme', '', null, undefined, '__proto__', 'constructor'])('unknown id %j falls back to default', (id) => {
		expect(getTheme(id).id).toBe(DEFAULT_THEME_ID)
	})

	test('are frozen, so no caller can restyle every org', () => {
		const theme = getTheme('default')
		expect(Object.isFrozen(theme)).toBe(true)
		expect(Object.isFrozen(theme.colors)).toBe(true)
		expect(Object.isFrozen(theme.colors.light)).toBe(true)
		expect(Object.isFrozen(theme.colors.dark)).toBe(true)
	})
})

describe('loadThemes', () => {
	let dir: string
	const valid = () => JSON.parse(fs.readFileSync(path.join(themesDir, 'default', 'theme.json'), 'utf8'))
	const write = (folder: string, content: unknown) => {
		fs.mkdirSync(path.join(dir, folder), { recursive: true })
		const file = path.join(dir, folder, 'theme.json')
		fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
		return file
	}

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-themes-'))
		write('default', valid())
	})
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

	test('reads every folder, normalises colours and ignores loose files', () => {
		write('sunrise', { ...valid(), id: 'sunrise', name: 'Sunrise', colors: { ...valid().colors, light: { ...valid().colors.light, background: '#FFF' } } })
		fs.writeFileSync(path.join(dir, 'README.md'), '# notes')
		const themes = loadThemes(dir)
		expect([...themes.keys()]).toEqual(['default', 'sunrise'])
		expect(themes.get('sunrise')?.colors.light.background).toBe('#ffffff')
	})

	test('refuses malformed JSON, naming the file', () => {
		const file = write('broken', '{ "id": "broken", ')
		expect(() => loadThemes(dir)).toThrow(`Theme file ${file} could not be read as JSON`)
	})

	test('refuses a folder without theme.json, naming the file', () => {
		fs.mkdirSync(path.join(dir, 'empty'))
		expect(() => loadThemes(dir)).toThrow(path.join(dir, 'empty', 'theme.json'))
	})

	const light = (patch: object) => ({ colors: { ...valid().colors, light: { ...valid().colors.light, ...patch } } })
	const dark = (patch: object) => ({ colors: { ...valid().colors, dark: { ...valid().colors.dark, ...patch } } })
	test.each([
		['a bad colour', light({ background: 'white' }), /colors\.light\.background[\s\S]*hex colour/],
		['a missing field', { layout: undefined }, /layout/],
		['a missing palette', { colors: { light: valid().colors.light } }, /colors\.dark/],
		['an unknown field', { colours: {} }, /colours/],
		['an unknown layout', { layout: 'sideways' }, /layout/],
		['a field themes no longer have', { radius: '0.5rem' }, /radius/],
		['a web font URL', { fontFamily: "url('https://fonts.example/x.woff2')" }, /fontFamily/],
		['unreadable muted text in the light palette', light({ mutedForeground: '#aaaaaa' }), /colors\.light\.mutedForeground[\s\S]*contrast with background is 2\.\d\d:1/],
		['unreadable error text in the dark palette', dark({ danger: '#7f1d1d' }), /colors\.dark\.danger[\s\S]*contrast with background is 1\.\d\d:1/],
		['a dark background in the light palette', light({ background: '#000000' }), /colors\.light\.background[\s\S]*#000000[\s\S]*is dark, but this is the light palette/],
		['a light background in the dark palette', dark({ background: '#ffffff', surface: '#ffffff' }), /colors\.dark\.background[\s\S]*is light, but this is the dark palette/],
	])('refuses %s, naming the file and the field', (_, patch, message) => {
		const file = write('bad', { ...valid(), id: 'bad', ...patch })
		expect(() => loadThemes(dir)).toThrow(`Theme file ${file} is invalid`)
		expect(() => loadThemes(dir)).toThrow(message)
	})

	test('refuses an id that differs from its folder', () => {
		write('ocean', { ...valid(), id: 'sea' })
		expect(() => loadThemes(dir)).toThrow(/id 'sea' must match its folder name 'ocean'/)
	})

	test('refuses a set without a default theme', () => {
		fs.rmSync(path.join(dir, 'default'), { recursive: true })
		write('ocean', { ...valid(), id: 'ocean' })
		expect(() => loadThemes(dir)).toThrow(/No 'default' theme/)
	})
})
