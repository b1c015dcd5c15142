import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from './foyer'

/** One message as it arrived over SMTP, parsed: both parts, the envelope and the From header. */
export type ReceivedMail = {
	to: string[]
	from: string
	fromName: string
	subject: string
	html: string
	text: string
	raw: ParsedMail
}

/**
 * A real SMTP server in the test process (npm smtp-server): Foyer is started with
 * `SMTP_URL=mailbox.url` and the test reads what it delivered, parsed by mailparser.
 */
export type Mailbox = {
	url: string
	messages: ReceivedMail[]
	/** Waits for the first message to `to` (matching `subject`, if given) that arrived after `since`. */
	waitFor(to: string, options?: { subject?: RegExp; since?: number; timeoutMs?: number }): Promise<ReceivedMail>
	/** Messages to `to` so far. */
	to(address: string): ReceivedMail[]
	close(): Promise<void>
}

export async function startMailbox(): Promise<Mailbox> {
	const messages: (ReceivedMail & { index: number })[] = []
	const waiters = new Set<() => void>()
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((mail) => {
					const from = mail.from?.value[0]
					messages.push({
						index: messages.length,
						to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
						from: from?.address ?? '',
						fromName: from?.name ?? '',
						subject: mail.subject ?? '',
						html: typeof mail.html === 'string' ? mail.html : '',
						text: mail.text ?? '',
						raw: mail,
					})
					for (const wake of waiters) wake()
					callback()
				})
				.catch(callback)
		},
	})
	const port = await freePort()
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))

	const to = (address: string) => messages.filter((mail) => mail.to.includes(address.toLowerCase()))
	return {
		url: `smtp://127.0.0.1:${port}`,
		messages,
		to,
		waitFor: (address, options = {}) =>
			new Promise((resolve, reject) => {
				const since = options.since ?? 0
				const find = () => to(address).find((mail) => mail.index >= since && (!options.subject || options.subject.test(mail.subject)))
				const check = () => {
					const found = find()
					if (!found) return
					cleanup()
					resolve(found)
				}
				const timer = setTimeout(() => {
					cleanup()
					reject(new Error(`no email to ${address}${options.subject ? ` matching ${options.subject}` : ''} within ${options.timeoutMs ?? 10_000} ms`))
				}, options.timeoutMs ?? 10_000)
				const cleanup = () => {
					clearTimeout(timer)
					waiters.delete(check)
				}
				waiters.add(check)
				check()
			}),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	}
}

/** The 6-digit code in a message's plain-text part. */
export function codeIn(mail: { text: string }): string {
	const match = /\b(\d{6})\b/.exec(mail.text)
	if (!match) throw new Error(`no 6-digit code in:\n${mail.text}`)
	return match[1]!
}

/** The first /verify link in a message's plain-text part. */
export function verifyLinkIn(mail: { text: string }): URL {
	const match = /(https?:\/\/\S+\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.text)
	if (!match) throw new Error(`no /verify link in:\n${mail.text}`)
	return new URL(match[1]!)
}
