import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { themesDir } from '../../utils/paths.server'
import { DEFAULT_THEME_ID, getTheme, listThemes, loadThemes } from './theme.server'

describe('shipped themes', () => {
	test('include default (light) and a dark one, default listed first', () => {
		const themes = listThemes()
		expect(themes[0]?.id).toBe(DEFAULT_THEME_ID)
		expect(themes.map((t) => t.id)).toEqual(expect.arrayContaining(['default', 'midnight']))
		expect(getTheme('default').mode).toBe('light')
		expect(getTheme('midnight').mode).toBe('dark')
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
		write('sunrise', { ...valid(), id: 'sunrise', name: 'Sunrise', colors: { ...valid().colors, background: '#FFF' } })
		fs.writeFileSync(path.join(dir, 'README.md'), '# notes')
		const themes = loadThemes(dir)
		expect([...themes.keys()]).toEqual(['default', 'sunrise'])
		expect(themes.get('sunrise')?.colors.background).toBe('#ffffff')
	})

	test('refuses malformed JSON, naming the file', () => {
		const file = write('broken', '{ "id": "broken", ')
		expect(() => loadThemes(dir)).toThrow(`Theme file ${file} could not be read as JSON`)
	})

	test('refuses a folder without theme.json, naming the file', () => {
		fs.mkdirSync(path.join(dir, 'empty'))
		expect(() => loadThemes(dir)).toThrow(path.join(dir, 'empty', 'theme.json'))
	})

	test.each([
		['a bad colour', { colors: { ...valid().colors, background: 'white' } }, /colors\.background[\s\S]*hex colour/],
		['a missing field', { radius: undefined }, /radius/],
		['an unknown field', { colours: {} }, /colours/],
		['an unknown mode', { mode: 'sepia' }, /mode/],
		['CSS smuggled into radius', { radius: '0;}body{display:none' }, /radius[\s\S]*CSS length/],
		['a web font URL', { fontFamily: "url('https://fonts.example/x.woff2')" }, /fontFamily/],
		['unreadable muted text', { colors: { ...valid().colors, mutedForeground: '#aaaaaa' } }, /colors\.mutedForeground[\s\S]*contrast with background is 2\.\d\d:1/],
		['a dark background marked light', { colors: { ...valid().colors, background: '#000000' } }, /mode[\s\S]*is 'light' but background #000000/],
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
