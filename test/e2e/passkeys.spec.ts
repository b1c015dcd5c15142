import { type CDPSession, type Page } from '@playwright/test'
import { expect, expectSignedInAs, host, orgs, signOut, test, type Org, type User } from './fixtures'

/**
 * Passkeys in Chromium with its virtual WebAuthn authenticator (CDP `WebAuthn` domain): a platform
 * authenticator (internal transport) that keeps discoverable credentials and verifies the user, so
 * the browser's real ceremonies run against the server.
 */

test.describe.configure({ mode: 'parallel' })

/**
 * Chromium resolves conditional mediation (passkeys in the email field's autofill) at once when a
 * virtual authenticator holds a credential, so /login would sign in before any click. Tests of
 * the button run as a browser without conditional UI; one test below keeps it, to check autofill.
 */
async function withoutConditionalUi(page: Page) {
	await page.addInitScript(() => {
		Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: undefined, configurable: true })
	})
}

/**
 * fixtures.ts `signIn`, with an exact button name: /login also has "Sign in with a passkey" now,
 * which a non-exact `{ name: 'Sign in' }` matches as well.
 */
async function signIn(page: Page, org: Org, user: User) {
	await page.goto(host(org.slug, '/login'))
	await page.getByLabel('Email', { exact: true }).fill(user.email)
	await page.getByLabel('Password', { exact: true }).fill(user.password)
	await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

type Authenticator = { cdp: CDPSession; authenticatorId: string }

async function addVirtualAuthenticator(page: Page): Promise<Authenticator> {
	const cdp = await page.context().newCDPSession(page)
	await cdp.send('WebAuthn.enable', { enableUI: false })
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
	})
	return { cdp, authenticatorId }
}

async function credentials({ cdp, authenticatorId }: Authenticator) {
	return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials
}

/** From /account: the passkeys page, a name, the browser's prompt, and the new passkey in the list. */
async function addPasskey(page: Page, org: Org, name: string) {
	await page.goto(host(org.slug, '/account/passkeys'))
	await expect(page.getByText('You have no passkeys yet.')).toBeVisible()
	await page.getByLabel('Name for the new passkey').fill(name)
	await page.getByRole('button', { name: 'Add a passkey' }).click()
	await expect(page).toHaveURL(host(org.slug, '/account/passkeys?notice=added'))
	await expect(page.getByRole('status')).toHaveText('Passkey added.')
	await expect(page.getByTestId('passkey')).toHaveCount(1)
	await expect(page.getByTestId('passkey')).toContainText(name)
	await expect(page.getByTestId('passkey')).toContainText(`for ${org.slug}.localhost`)
}

async function signedUpWithPasskey(page: Page, org: Org, user: User) {
	const authenticator = await addVirtualAuthenticator(page)
	await signIn(page, org, user)
	await expectSignedInAs(page, org, user.email)
	await addPasskey(page, org, 'E2E laptop')
	const [credential] = await credentials(authenticator)
	expect(credential).toMatchObject({ rpId: `${org.slug}.localhost`, isResidentCredential: true })
	await signOut(page, org)
	return { authenticator, credential: credential! }
}

test('registers a passkey and signs in with it, without a password', async ({ page, createUser }) => {
	await withoutConditionalUi(page)
	const org = orgs.acme
	const user = await createUser(org)
	const { authenticator } = await signedUpWithPasskey(page, org, user)

	await page.goto(host(org.slug, '/login'))
	await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('autocomplete', 'username webauthn')
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
	await expectSignedInAs(page, org, user.email)
	expect((await credentials(authenticator))[0]!.signCount).toBeGreaterThan(0)

	// The passkey is listed with its last use, and can be renamed and removed without JavaScript's help.
	await page.goto(host(org.slug, '/account/passkeys'))
	await expect(page.getByTestId('passkey')).toContainText('last used')
	await page.getByLabel('New name for E2E laptop').fill('Renamed key')
	await page.getByRole('button', { name: 'Rename E2E laptop' }).click()
	await expect(page.getByRole('status')).toHaveText('Passkey renamed.')
	await expect(page.getByTestId('passkey')).toContainText('Renamed key')
	await page.getByRole('button', { name: 'Remove Renamed key' }).click()
	await expect(page.getByRole('status')).toHaveText('Passkey removed.')
	await expect(page.getByText('You have no passkeys yet.')).toBeVisible()

	// A removed passkey no longer signs in: the authenticator still offers it, the server refuses it.
	await signOut(page, org)
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
	await expect(page.getByRole('alert')).toContainText('could not sign you in')
	await expect(page).toHaveURL(host(org.slug, '/login'))
})

test('is the second factor after a password', async ({ page, createUser }) => {
	await withoutConditionalUi(page)
	const org = orgs.globex
	const user = await createUser(org)
	await signedUpWithPasskey(page, org, user)

	await signIn(page, org, user)
	await expect(page).toHaveURL(host(org.slug, '/login/mfa'))
	await page.getByRole('button', { name: 'Use a passkey' }).click()
	await expectSignedInAs(page, org, user.email)
})

test('a passkey made on acme does not sign in on globex', async ({ page, createUser }) => {
	await withoutConditionalUi(page)
	const user = await createUser(orgs.acme)
	const { authenticator, credential } = await signedUpWithPasskey(page, orgs.acme, user)

	// The browser itself offers acme's passkey only on acme: on globex the request finds none.
	await page.goto(host(orgs.globex.slug, '/login'))
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
	await expect(page.getByRole('alert')).toBeVisible({ timeout: 20_000 })
	await expect(page).toHaveURL(host(orgs.globex.slug, '/login'))

	// Even the same key pair presented for globex's RP ID (a copied credential) is unknown there.
	const { cdp, authenticatorId } = authenticator
	await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: credential.credentialId })
	await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...credential, rpId: `${orgs.globex.slug}.localhost` } })
	await page.reload()
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
	await expect(page.getByRole('alert')).toContainText('could not sign you in')
	await page.goto(host(orgs.globex.slug, '/account'))
	await expect(page).toHaveURL(host(orgs.globex.slug, `/login?${new URLSearchParams({ redirectTo: '/account' })}`))

	// Back on acme, the same passkey still works.
	await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: credential.credentialId })
	await cdp.send('WebAuthn.addCredential', { authenticatorId, credential })
	await page.goto(host(orgs.acme.slug, '/login'))
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
	await expectSignedInAs(page, orgs.acme, user.email)
})

test('conditional UI: the email field offers the passkey, and picking it signs in', async ({ page, createUser }) => {
	const org = orgs.acme
	const user = await createUser(org)
	await addVirtualAuthenticator(page)
	await signIn(page, org, user)
	await expectSignedInAs(page, org, user.email)
	await addPasskey(page, org, 'Autofill key')
	// Signing out lands on /login, whose email field (autocomplete "username webauthn") starts a
	// conditional request on load; the virtual authenticator answers it as a person picking the
	// passkey from the autofill list would, and the page signs in without a click.
	await expect(page.getByTestId('passkey')).toContainText('never used')
	await page.goto(host(org.slug, '/account'))
	// Waited for: right after the click the page is still /account of the password session, which
	// expectSignedInAs would accept before the sign-out (and the passkey's sign-in) took place.
	const passkeySignIn = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/passkeys/authentication')
	await page.getByRole('button', { name: 'Sign out' }).click()
	expect((await passkeySignIn).ok()).toBe(true)
	await expectSignedInAs(page, org, user.email)
	// It was the passkey that signed in: its last use is recorded.
	await page.goto(host(org.slug, '/account/passkeys'))
	await expect(page.getByTestId('passkey')).toContainText('last used')
})
