import { importJWK, importSPKI } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import { ConfigError } from '../config/config.ts'

/**
 * The one key legacy tokens are checked with, and the one algorithm it is pinned to: HS256 for a
 * shared secret, RS256 for a public key. Never both, so no token can pick its own algorithm.
 */
export type LegacyKey = {
  alg: 'HS256' | 'RS256'
  /** The configuration value the key came from, for messages (never the key itself). */
  source: 'LEGACY_JWT_SECRET' | 'LEGACY_PUBLIC_KEY'
  /** Bytes of the secret, for warnings about short HS256 secrets. */
  secretBytes: number | undefined
  /** The verification key, imported once on first use. */
  key(): Promise<CryptoKey | Uint8Array>
}

const PEM = /^-----BEGIN PUBLIC KEY-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END PUBLIC KEY-----\s*$/
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']

/**
 * `LEGACY_JWT_SECRET` (HS256) or `LEGACY_PUBLIC_KEY` (RS256: a public JWK as JSON, or an SPKI PEM),
 * checked at start-up; `undefined` when neither is set. Throws a `ConfigError` naming the value.
 */
export function parseLegacyKey(env: Readonly<Record<string, unknown>>): LegacyKey | undefined {
  const secret = present(env, 'LEGACY_JWT_SECRET')
  const publicKey = present(env, 'LEGACY_PUBLIC_KEY')
  if (secret !== undefined && publicKey !== undefined) {
    throw new ConfigError('Set LEGACY_JWT_SECRET or LEGACY_PUBLIC_KEY, not both')
  }
  if (secret !== undefined) return secretKey(secret)
  if (publicKey !== undefined) return rsaPublicKey(publicKey)
  return undefined
}

function present(env: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`)
  return value
}

function secretKey(secret: string): LegacyKey {
  // The legacy secret is whatever the fleet was signed with; a short one is reported by
  // token:inspect rather than refused, since refusing it would block the way off it.
  const bytes = new TextEncoder().encode(secret)
  return {
    alg: 'HS256',
    source: 'LEGACY_JWT_SECRET',
    secretBytes: bytes.length,
    key: async () => bytes,
  }
}

function rsaPublicKey(value: string): LegacyKey {
  const text = value.trim()
  let load: () => Promise<CryptoKey>
  if (text.startsWith('{')) {
    const jwk = parseJwk(text)
    load = () => importJWK(jwk, 'RS256') as Promise<CryptoKey>
  } else {
    const match = PEM.exec(text)
    if (!match || !isBase64(match[1]!)) {
      throw new ConfigError('LEGACY_PUBLIC_KEY must be an RSA public JWK or a PUBLIC KEY PEM')
    }
    load = () => importSPKI(text, 'RS256')
  }
  let imported: Promise<CryptoKey> | undefined
  // WebCrypto imports only asynchronously, after start-up: a key that parses but cannot be
  // imported fails every legacy call loudly (500, logged, naming the value), never as TOKEN_INVALID,
  // which would quietly sign the whole fleet out.
  const importOnce = () =>
    load().catch((error: unknown) => {
      throw new ConfigError('LEGACY_PUBLIC_KEY is not a usable RSA public key', { cause: error })
    })
  return {
    alg: 'RS256',
    source: 'LEGACY_PUBLIC_KEY',
    secretBytes: undefined,
    key: () => (imported ??= importOnce()),
  }
}

function parseJwk(text: string): JWK {
  let jwk: unknown
  try {
    jwk = JSON.parse(text)
  } catch {
    throw new ConfigError('LEGACY_PUBLIC_KEY is not valid JSON (expected an RSA public JWK)')
  }
  const record = (typeof jwk === 'object' && jwk !== null ? jwk : {}) as Record<string, unknown>
  if (record.kty !== 'RSA' || typeof record.n !== 'string' || typeof record.e !== 'string') {
    throw new ConfigError('LEGACY_PUBLIC_KEY must be an RSA JWK with n and e')
  }
  if (PRIVATE_MEMBERS.some((member) => member in record)) {
    throw new ConfigError('LEGACY_PUBLIC_KEY holds private key material; give the public key only')
  }
  if (record.alg !== undefined && record.alg !== 'RS256') {
    throw new ConfigError('LEGACY_PUBLIC_KEY must be an RS256 key')
  }
  return { kty: 'RSA', n: record.n, e: record.e }
}

function isBase64(body: string): boolean {
  try {
    return atob(body.replace(/\s+/g, '')).length > 0
  } catch {
    return false
  }
}
