import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The checkout (or image) root: the nearest folder above this module holding Foyer's
 * package.json. Found by walking up because this code runs both from source (tsx, vitest)
 * and from the server bundle in build/.
 */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)))

export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations')
export const themesDir = path.join(projectRoot, 'themes')

/** Where embedded PostgreSQL and generated secrets live. @default `<projectRoot>/.data` */
export function dataDir() {
	return path.resolve(process.env.FOYER_DATA_DIR ?? path.join(projectRoot, '.data'))
}

function findProjectRoot(start: string): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json')
		if (fs.existsSync(manifest)) {
			const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }
			if (name === 'foyer') return dir
		}
		if (path.dirname(dir) === dir) throw new Error(`Foyer's package.json not found above ${start}`)
	}
}
