import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { projectRoot } from '../../utils/paths.server'
import { FONT_IDS } from './document'
import { fontFaceCss, fontOf, FONTS, SYSTEM_FONT_STACK } from './fonts'

const fontsDir = path.join(projectRoot, 'public', 'fonts')

describe('shipped fonts', () => {
	test('every font id of the document has an entry', () => {
		expect(Object.keys(FONTS).sort()).toEqual([...FONT_IDS].sort())
	})

	test.each(FONT_IDS.filter((id) => id !== 'system'))('%s: its files are in public/fonts, named by their content, with the licence beside them', (id) => {
		const font = FONTS[id]
		expect(font.faces.length).toBeGreaterThan(0)
		for (const face of font.faces) {
			const file = path.join(fontsDir, face.file)
			expect(fs.existsSync(file), file).toBe(true)
			// The name's hash is the content's: a year of caching can never serve a stale font.
			const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10)
			expect(path.basename(face.file)).toMatch(new RegExp(`\\.${hash}\\.woff2$`))
			expect(fs.readFileSync(file).subarray(0, 4).toString('latin1')).toBe('wOF2')
			const licence = path.join(path.dirname(file), 'LICENSE.txt')
			expect(fs.readFileSync(licence, 'utf8')).toContain('SIL Open Font License, Version 1.1')
		}
		expect(font.stack.startsWith(`'${font.family}', `)).toBe(true)
	})

	test('nothing in public/fonts is left unreferenced', () => {
		const shipped = fs.readdirSync(fontsDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.woff2'))
		const referenced = Object.values(FONTS).flatMap((font) => font.faces.map((face) => face.file))
		expect(shipped.map((file) => file.split(path.sep).join('/')).sort()).toEqual(referenced.sort())
	})

	test('the system font downloads nothing, and an unknown id is the system font', () => {
		expect(fontFaceCss('system')).toBe('')
		expect(fontOf('comic-sans').stack).toBe(SYSTEM_FONT_STACK)
		expect(fontOf('__proto__').stack).toBe(SYSTEM_FONT_STACK)
		expect(fontFaceCss('constructor')).toBe('')
	})
})
