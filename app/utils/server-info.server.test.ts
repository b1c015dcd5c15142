import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readServerInfo, removeServerInfo, writeServerInfo } from './server-info.server'

const dirs: string[] = []
const tempDir = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-info-'))
	dirs.push(dir)
	return dir
}
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

describe('server info', () => {
	it('tells the CLI the port of the server running on this data dir', () => {
		const dir = tempDir()
		expect(readServerInfo(dir)).toBeNull()
		writeServerInfo(dir, { pid: process.pid, port: 3210 })
		expect(readServerInfo(dir)).toEqual({ pid: process.pid, port: 3210 })
		removeServerInfo(dir)
		expect(readServerInfo(dir)).toBeNull()
	})

	it('ignores what a crashed server left behind, and garbage', () => {
		const dir = tempDir()
		writeServerInfo(dir, { pid: 2 ** 22 + 12345, port: 3210 }) // above Linux's pid_max
		expect(readServerInfo(dir)).toBeNull()
		fs.writeFileSync(path.join(dir, 'server.json'), '{not json')
		expect(readServerInfo(dir)).toBeNull()
	})
})
