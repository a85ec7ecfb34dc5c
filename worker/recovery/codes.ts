import { base64url } from 'jose'
import { CODE_DIGITS } from '../../contract/index.ts'
import { ipLimitKey } from '../guard/ip-key.ts'
import type { CodePurpose } from '../../contract/index.ts'

/**
 * Guesses one code takes before it is void: with 10^8 codes, 5 guesses give a guesser one chance
 * in 20 million per code, and the per-address limit caps how many codes they see.
 */
export const MAX_CODE_ATTEMPTS = 5

/** A uniformly random code of `CODE_DIGITS` decimal digits (rejection sampling: no modulo bias). */
export function generateCode(): string {
  const limit = 10 ** CODE_DIGITS
  const ceiling = Math.floor(2 ** 32 / limit) * limit
  const word = new Uint32Array(1)
  do crypto.getRandomValues(word)
  while (word[0]! >= ceiling)
  return String(word[0]! % limit).padStart(CODE_DIGITS, '0')
}

// One HMAC key per secret, derived once per isolate.
const keys = new Map<string, Promise<CryptoKey>>()

/**
 * The stored form of a code: HMAC-SHA256 under a key derived (HKDF) from the issuer's secret, over
 * the purpose, the address it went to and the code, so a database reader cannot try the 10^8 codes
 * offline and a code for one purpose or address is no code for another.
 */
export async function hashCode(
  secret: string,
  input: { purpose: CodePurpose; target: string; code: string },
): Promise<string> {
  let key = keys.get(secret)
  if (!key) {
    key = deriveKey(secret)
    keys.set(secret, key)
  }
  const data = new TextEncoder().encode(`${input.purpose}\n${input.target}\n${input.code}`)
  return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', await key, data)))
}

/** Constant-time comparison of two stored code forms. */
export function sameCodeHash(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a)
  const right = new TextEncoder().encode(b)
  if (left.length !== right.length) return false
  return crypto.subtle.timingSafeEqual(left, right)
}

/** Counter keys of code requests and guesses: the IP's (IPv6 by /64) and the address's (hashed). */
export async function codeLimitKeys(kind: 'request' | 'attempt', email: string, ip: string | null) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(email))
  return {
    ipKey: ipLimitKey(`code-${kind}`, ip),
    accountKey: `code-${kind}:${base64url.encode(new Uint8Array(digest))}`,
  }
}

async function deriveKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    'HKDF',
    false,
    ['deriveKey'],
  )
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: new TextEncoder().encode('rotor one-time codes v1'),
    },
    material,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  )
}
