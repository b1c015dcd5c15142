import { describe, expect, it } from 'vitest'
import { csvCell, csvHeader, eventCsvLine, eventJson, type ExportedEvent } from './audit-csv'

describe('csvCell', () => {
	it('leaves plain text alone and writes null as empty', () => {
		expect(csvCell('user.signed_in')).toBe('user.signed_in')
		expect(csvCell(42)).toBe('42')
		expect(csvCell(null)).toBe('')
		expect(csvCell(undefined)).toBe('')
	})

	it('quotes commas, quotes and line breaks, doubling quotes', () => {
		expect(csvCell('a,b')).toBe('"a,b"')
		expect(csvCell('say "hi"')).toBe('"say ""hi"""')
		expect(csvCell('two\nlines')).toBe('"two\nlines"')
		expect(csvCell('cr\r')).toBe('"cr\r"')
	})

	it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\r=x'])('guards %j against formula injection with a leading quote', (value) => {
		const cell = csvCell(value)
		const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell
		expect(unquoted).toBe(`'${value}`)
	})

	it('guards and quotes at once', () => {
		expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"')
	})

	it('leaves a minus or at sign that does not start the cell alone', () => {
		expect(csvCell('a-b@c')).toBe('a-b@c')
	})
})

describe('event lines', () => {
	const event: ExportedEvent = {
		id: 'ev1',
		seq: 3,
		type: 'user.sign_in_failed',
		actorId: null,
		targetType: 'user',
		targetId: 'u1',
		ip: '127.0.0.1',
		userAgent: '=cmd|calc',
		data: { email: 'a@b.example', reason: 'bad "password"' },
		createdAt: new Date('2026-01-02T03:04:05.678Z'),
		prevHash: 'p',
		hash: 'h',
	}

	it('writes a header and one CRLF-terminated line per event', () => {
		expect(csvHeader()).toBe('seq,createdAt,type,actorId,targetType,targetId,ip,userAgent,data,id,prevHash,hash\r\n')
		expect(eventCsvLine(event)).toBe(`3,2026-01-02T03:04:05.678Z,user.sign_in_failed,,user,u1,127.0.0.1,'=cmd|calc,"{""email"":""a@b.example"",""reason"":""bad \\""password\\""""}",ev1,p,h\r\n`)
	})

	it('gives JSON with an ISO date', () => {
		expect(eventJson(event)).toMatchObject({ seq: 3, createdAt: '2026-01-02T03:04:05.678Z', data: event.data, actorId: null })
	})
})
