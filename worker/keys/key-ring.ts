import { importJWK } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import { KEY_STATUSES, KTY_FOR_ALG, SIGNING_ALGS, isSigningAlg } from '../../contract/index.ts'
import type { KeyStatus, SigningAlg } from '../../contract/index.ts'
import { ConfigError } from '../config.ts'

export type RingKey = {
  kid: string
  alg: SigningAlg
  status: KeyStatus
  /** Public members only: what JWKS publishes. */
  publicJwk: JWK
}

export type KeyRing = {
  keys: readonly RingKey[]
  /** The current key for the configured algorithm, imported once. */
  signingKey(): Promise<{ kid: string; alg: SigningAlg; key: CryptoKey }>
  /** A published key by `kid`, imported once; `undefined` for an unknown kid. */
  verificationKey(kid: string): Promise<{ alg: SigningAlg; key: CryptoKey } | undefined>
}

// Allow-lists, so no private or unexpected member can ever reach JWKS.
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
  RSA: ['kty', 'n', 'e'],
}

/**
 * Parses `SIGNING_KEYS` (a JWK Set of private keys, each with `kid`, `alg` and a Rotor `status`)
 * and checks it at start-up: private asymmetric keys only, one current key for `signingAlg`.
 */
export function createKeyRing(signingKeys: unknown, signingAlg: SigningAlg): KeyRing {
  const privateJwks = parseKeySet(signingKeys)
  const keys = privateJwks.map(toRingKey)
  const kids = new Set(keys.map((key) => key.kid))
  if (kids.size !== keys.length) throw new ConfigError('SIGNING_KEYS has two keys with one kid')
  const current = keys.filter((key) => key.status === 'current' && key.alg === signingAlg)
  if (current.length !== 1) {
    throw new ConfigError(
      `SIGNING_KEYS must hold exactly one current ${signingAlg} key (SIGNING_ALG), found ${current.length}`,
    )
  }
  const signer = current[0]!
  const privateByKid = new Map(privateJwks.map((jwk) => [jwk.kid as string, jwk]))
  const imported = new Map<string, Promise<CryptoKey>>()
  const importOnce = (kid: string, jwk: JWK, alg: SigningAlg) => {
    let key = imported.get(kid)
    if (!key) {
      key = importJWK(jwk, alg) as Promise<CryptoKey>
      imported.set(kid, key)
    }
    return key
  }
  return {
    keys,
    async signingKey() {
      const jwk = privateByKid.get(signer.kid)!
      return {
        kid: signer.kid,
        alg: signer.alg,
        key: await importOnce(`private:${signer.kid}`, jwk, signer.alg),
      }
    },
    async verificationKey(kid) {
      const found = keys.find((key) => key.kid === kid)
      if (!found) return undefined
      return { alg: found.alg, key: await importOnce(kid, found.publicJwk, found.alg) }
    },
  }
}

function parseKeySet(value: unknown): JWK[] {
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      throw new ConfigError('SIGNING_KEYS is not valid JSON (expected a JWK Set)')
    }
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ConfigError(
      'SIGNING_KEYS is missing or empty: run `npm run dev` or `npm run keys -- generate`',
    )
  }
  return keys as JWK[]
}

function toRingKey(jwk: JWK, index: number): RingKey {
  const where = `SIGNING_KEYS key ${index}`
  if (typeof jwk !== 'object' || jwk === null) throw new ConfigError(`${where} is not a JWK`)
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new ConfigError(`${where} has no kid`)
  const alg = jwk.alg as SigningAlg
  if (!isSigningAlg(alg)) {
    throw new ConfigError(
      `${where} (${jwk.kid}) has alg ${String(jwk.alg)}; allowed: ${SIGNING_ALGS.join(', ')}`,
    )
  }
  if (jwk.kty !== KTY_FOR_ALG[alg])
    throw new ConfigError(`${where} (${jwk.kid}) is not a ${alg} key`)
  if (alg === 'EdDSA' && jwk.crv !== 'Ed25519')
    throw new ConfigError(`${where} (${jwk.kid}) must use Ed25519`)
  if (alg === 'ES256' && jwk.crv !== 'P-256')
    throw new ConfigError(`${where} (${jwk.kid}) must use P-256`)
  if (typeof jwk.d !== 'string') throw new ConfigError(`${where} (${jwk.kid}) is not a private key`)
  assertKeyMembers(jwk, `${where} (${jwk.kid})`)
  const status = (jwk as { status?: unknown }).status ?? 'current'
  if (!KEY_STATUSES.includes(status as KeyStatus)) {
    throw new ConfigError(
      `${where} (${jwk.kid}) has status ${String(status)}; allowed: ${KEY_STATUSES.join(', ')}`,
    )
  }
  const publicJwk: JWK = { kid: jwk.kid, alg, use: 'sig' }
  for (const member of PUBLIC_MEMBERS[jwk.kty]!) {
    ;(publicJwk as Record<string, unknown>)[member] = (jwk as Record<string, unknown>)[member]
  }
  return { kid: jwk.kid, alg, status: status as KeyStatus, publicJwk }
}

// Byte lengths of each member, checked at start-up: a corrupted key would otherwise pass here and
// fail every sign-in at its first use.
const MEMBER_BYTES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  EC: { x: 32, y: 32, d: 32 },
  OKP: { x: 32, d: 32 },
}
const RSA_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']

function assertKeyMembers(jwk: JWK, where: string): void {
  const member = (name: string) => (jwk as Record<string, unknown>)[name]
  const bytes = (name: string) => {
    const value = member(name)
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return -1
    return Math.floor((value.length * 3) / 4)
  }
  if (jwk.kty === 'RSA') {
    const missing = RSA_MEMBERS.filter((name) => bytes(name) <= 0)
    if (missing.length > 0)
      throw new ConfigError(`${where} lacks RSA members ${missing.join(', ')}`)
    if (bytes('n') < 256) throw new ConfigError(`${where} has an RSA modulus under 2048 bits`)
    return
  }
  for (const [name, size] of Object.entries(MEMBER_BYTES[jwk.kty!] ?? {})) {
    if (bytes(name) !== size) throw new ConfigError(`${where} has a malformed "${name}"`)
  }
}
