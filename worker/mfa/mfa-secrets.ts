import { base64url } from 'jose'
import { RotorError } from '../../contract/index.ts'

// Derived once per isolate and secret: every enrolment, check and recovery code uses them.
const keys = new Map<string, Promise<{ seal: CryptoKey; mac: CryptoKey }>>()
const BOX_VERSION = 'v1'

/**
 * Seals a TOTP secret for storage: AES-256-GCM under a key derived (HKDF) from
 * `MFA_ENCRYPTION_KEY`, a fresh 96-bit IV, and the user's id as associated data, so a sealed
 * secret copied onto another user's row does not open. `v1.<iv>.<ciphertext>`, base64url.
 */
export async function sealSecret(mfaKey: string | undefined, userId: string, secret: Uint8Array) {
  const { seal } = await derived(mfaKey)
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: boundTo(userId) },
    seal,
    secret,
  )
  return `${BOX_VERSION}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`
}

/** Opens a sealed secret; a box that does not open (another key, another user) is an error. */
export async function openSecret(
  mfaKey: string | undefined,
  userId: string,
  box: string,
): Promise<Uint8Array> {
  const { seal } = await derived(mfaKey)
  const [version, iv, sealed] = box.split('.')
  if (version !== BOX_VERSION || iv === undefined || sealed === undefined) {
    throw new Error('Unknown TOTP secret box format')
  }
  const opened = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: base64url.decode(iv), additionalData: boundTo(userId) },
    seal,
    base64url.decode(sealed),
  )
  return new Uint8Array(opened)
}

/**
 * The stored form of a recovery code: HMAC-SHA256 under a key derived from `MFA_ENCRYPTION_KEY`,
 * over the user's id and the normalized code, so a database reader can try no code offline and a
 * code of one user is none of another's.
 */
export async function hashRecoveryCode(
  mfaKey: string | undefined,
  userId: string,
  code: string,
): Promise<string> {
  const { mac } = await derived(mfaKey)
  const data = new TextEncoder().encode(`recovery\n${userId}\n${code}`)
  return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', mac, data)))
}

/** Constant-time comparison of two stored forms (hashes of equal length by construction). */
export function sameHash(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  if (left.length !== right.length) return false
  return crypto.subtle.timingSafeEqual(left, right)
}

/** Refuses, before any work, when the issuer has no key to seal or check with. */
export function assertMfaAvailable(mfaKey: string | undefined): asserts mfaKey is string {
  if (mfaKey === undefined) {
    throw new RotorError(
      'MFA_UNAVAILABLE',
      'This issuer has no MFA_ENCRYPTION_KEY: second factors are unavailable',
    )
  }
}

function boundTo(userId: string): Uint8Array {
  return new TextEncoder().encode(`rotor totp secret\n${userId}`)
}

function derived(mfaKey: string | undefined) {
  assertMfaAvailable(mfaKey)
  let found = keys.get(mfaKey)
  if (!found) {
    found = deriveKeys(mfaKey)
    keys.set(mfaKey, found)
  }
  return found
}

async function deriveKeys(secret: string) {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    'HKDF',
    false,
    ['deriveKey'],
  )
  const hkdf = (info: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: new Uint8Array(32),
    info: new TextEncoder().encode(info),
  })
  const [seal, mac] = await Promise.all([
    crypto.subtle.deriveKey(
      hkdf('rotor mfa totp secrets v1'),
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    ),
    crypto.subtle.deriveKey(
      hkdf('rotor mfa recovery codes v1'),
      material,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    ),
  ])
  return { seal, mac }
}
