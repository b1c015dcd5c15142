import Bowser from 'bowser'

/** "Chrome 131 on macOS": what a person recognises their device by. Unknown parts are left out. */
export function describeDevice(userAgent: string | null | undefined): string {
	if (!userAgent) return 'Unknown device'
	const { browser, os } = Bowser.parse(userAgent)
	const major = browser.version?.split('.')[0]
	const name = browser.name ? `${browser.name}${major ? ` ${major}` : ''}` : null
	if (name && os.name) return `${name} on ${os.name}`
	return name ?? (os.name ? `A browser on ${os.name}` : 'Unknown device')
}
