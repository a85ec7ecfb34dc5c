import { base64url } from 'jose'

// The successor of a rotated refresh token is kept for the grace window, sealed with AES-256-GCM
// under a key derived (HKDF-SHA-256) from the parent token: the server alone cannot open it.
const SALT = new TextEncoder().encode('rotor/refresh-successor/v1')
const IV_BYTES = 12

export async function sealSuccessor(parentToken: string, successor: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const key = await deriveKey(parentToken)
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    key,
    new TextEncoder().encode(successor),
  )
  const box = new Uint8Array(IV_BYTES + sealed.byteLength)
  box.set(iv)
  box.set(new Uint8Array(sealed), IV_BYTES)
  return base64url.encode(box)
}

/** Returns the successor, or `undefined` when the box was not sealed under this parent. */
export async function openSuccessor(parentToken: string, box: string): Promise<string | undefined> {
  try {
    const bytes = base64url.decode(box)
    const key = await deriveKey(parentToken)
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES) },
      key,
      bytes.slice(IV_BYTES),
    )
    return new TextDecoder().decode(plain)
  } catch {
    return undefined
  }
}

async function deriveKey(parentToken: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(parentToken),
    'HKDF',
    false,
    ['deriveKey'],
  )
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: new Uint8Array() },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}
