import crypto, { type KeyObject } from 'node:crypto'
import type {
	AuthenticationResponseJSON,
	PublicKeyCredentialCreationOptionsJSON,
	PublicKeyCredentialRequestOptionsJSON,
	RegistrationResponseJSON,
} from '@simplewebauthn/server'

/**
 * A software WebAuthn authenticator for tests: ES256 (P-256) keys from node:crypto, attestation
 * 'none', real authenticatorData and clientDataJSON, assertions signed over
 * authenticatorData ‖ SHA-256(clientDataJSON) as an authenticator does. The server's real
 * verification runs on what it produces. Each ceremony can be bent (another origin, RP ID,
 * challenge, counter, no user verification) to check the server refuses it.
 */

export type SoftCredential = {
	id: string
	rpId: string
	/** The user handle the RP gave at registration (base64url). */
	userHandle: string
	privateKey: KeyObject
	counter: number
}

type Bend = {
	origin?: string
	rpId?: string
	challenge?: string
	userVerified?: boolean
	type?: string
}

const FLAG_UP = 0x01
const FLAG_UV = 0x04
const FLAG_BE = 0x08
const FLAG_BS = 0x10
const FLAG_AT = 0x40

export class SoftAuthenticator {
	readonly credentials: SoftCredential[] = []

	/** `synced`: report the credential as backup-eligible and backed up (a multi-device passkey). */
	constructor(private readonly options: { synced?: boolean } = {}) {}

	/** navigator.credentials.create() on `origin`, answering the server's options. */
	register(options: PublicKeyCredentialCreationOptionsJSON, origin: string, bend: Bend = {}): RegistrationResponseJSON {
		const rpId = bend.rpId ?? options.rp.id ?? new URL(origin).hostname
		const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
		const credentialId = crypto.randomBytes(32)
		const jwk = publicKey.export({ format: 'jwk' })
		const coseKey = cbor(
			new Map<number, unknown>([
				[1, 2],
				[3, -7],
				[-1, 1],
				[-2, Buffer.from(jwk.x!, 'base64url')],
				[-3, Buffer.from(jwk.y!, 'base64url')],
			]),
		)
		const attested = Buffer.concat([Buffer.alloc(16), u16(credentialId.length), credentialId, coseKey])
		const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(bend) | FLAG_AT]), u32(0), attested])
		const clientDataJSON = clientData(bend.type ?? 'webauthn.create', bend.challenge ?? options.challenge, bend.origin ?? origin)
		const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]))
		const id = credentialId.toString('base64url')
		this.credentials.push({ id, rpId, userHandle: options.user.id, privateKey, counter: 0 })
		return {
			id,
			rawId: id,
			type: 'public-key',
			response: {
				clientDataJSON: clientDataJSON.toString('base64url'),
				attestationObject: attestationObject.toString('base64url'),
				transports: ['internal'],
			},
			authenticatorAttachment: 'platform',
			clientExtensionResults: {},
		}
	}

	/**
	 * navigator.credentials.get() on `origin`: signs with `credential`, or the first one for the
	 * options' RP ID (and allow list, if any). The counter goes up by one unless `counter` says.
	 */
	assert(
		options: PublicKeyCredentialRequestOptionsJSON,
		origin: string,
		bend: Bend & { credential?: SoftCredential; counter?: number } = {},
	): AuthenticationResponseJSON {
		const rpId = bend.rpId ?? options.rpId ?? new URL(origin).hostname
		const allowed = options.allowCredentials?.map((descriptor) => descriptor.id) ?? []
		const credential =
			bend.credential ?? this.credentials.find((candidate) => candidate.rpId === rpId && (allowed.length === 0 || allowed.includes(candidate.id)))
		if (!credential) throw new Error(`no credential for ${rpId}`)
		credential.counter = bend.counter ?? credential.counter + 1
		const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(bend)]), u32(credential.counter)])
		const clientDataJSON = clientData(bend.type ?? 'webauthn.get', bend.challenge ?? options.challenge, bend.origin ?? origin)
		const signature = crypto.sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey)
		return {
			id: credential.id,
			rawId: credential.id,
			type: 'public-key',
			response: {
				clientDataJSON: clientDataJSON.toString('base64url'),
				authenticatorData: authData.toString('base64url'),
				signature: signature.toString('base64url'),
				userHandle: credential.userHandle,
			},
			authenticatorAttachment: 'platform',
			clientExtensionResults: {},
		}
	}

	private flags(bend: Bend) {
		const synced = this.options.synced ? FLAG_BE | FLAG_BS : 0
		return FLAG_UP | (bend.userVerified === false ? 0 : FLAG_UV) | synced
	}
}

function clientData(type: string, challenge: string, origin: string) {
	return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest()

function u16(value: number) {
	const buffer = Buffer.alloc(2)
	buffer.writeUInt16BE(value)
	return buffer
}

function u32(value: number) {
	const buffer = Buffer.alloc(4)
	buffer.writeUInt32BE(value)
	return buffer
}

/** Just enough CBOR (RFC 8949) for COSE keys and attestation objects: integers, bytes, text, maps. */
function cbor(value: unknown): Buffer {
	if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
	if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value])
	if (typeof value === 'string') {
		const bytes = Buffer.from(value, 'utf8')
		return Buffer.concat([head(3, bytes.length), bytes])
	}
	if (value instanceof Map) return Buffer.concat([head(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])])
	throw new Error(`cbor: cannot encode ${typeof value}`)
}

function head(major: number, length: number): Buffer {
	if (length < 24) return Buffer.from([(major << 5) | length])
	if (length < 0x100) return Buffer.from([(major << 5) | 24, length])
	if (length < 0x10000) return Buffer.concat([Buffer.from([(major << 5) | 25]), u16(length)])
	return Buffer.concat([Buffer.from([(major << 5) | 26]), u32(length)])
}
