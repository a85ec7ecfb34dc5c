import { importJWK } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import type { KeyStatus, SigningAlg } from '../../contract/index.ts'
import { ConfigError } from '../config/config.ts'
import { keySetProblems, keysOfSet, oneCurrentKeyFor, statusOf } from './key-set-rules.ts'
import type { CheckedJwk } from './key-set-rules.ts'

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
 * and checks it at start-up against the rules the key script checks too, plus one current key
 * for `signingAlg`; the first problem throws a `ConfigError` naming the key.
 */
export function createKeyRing(signingKeys: unknown, signingAlg: SigningAlg): KeyRing {
  const privateJwks = parseKeySet(signingKeys)
  const [problem] = keySetProblems(privateJwks, { set: [oneCurrentKeyFor(signingAlg)] })
  if (problem !== undefined) throw new ConfigError(`SIGNING_KEYS: ${problem}`)
  const keys = privateJwks.map(toRingKey)
  const signer = keys.find((key) => key.status === 'current' && key.alg === signingAlg)!
  const privateByKid = new Map(privateJwks.map((jwk) => [jwk.kid, jwk]))
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

// Checked by `keySetProblems` before it is used as one.
function parseKeySet(value: unknown): CheckedJwk[] {
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      throw new ConfigError('SIGNING_KEYS is not valid JSON (expected a JWK Set)')
    }
  }
  const keys = keysOfSet(parsed)
  if (keys === undefined) {
    throw new ConfigError(
      'SIGNING_KEYS is missing or empty: run `npm run dev` or `npm run keys -- generate`',
    )
  }
  return keys as CheckedJwk[]
}

function toRingKey(jwk: CheckedJwk): RingKey {
  const publicJwk: JWK = { kid: jwk.kid, alg: jwk.alg, use: 'sig' }
  for (const member of PUBLIC_MEMBERS[jwk.kty!]!) {
    ;(publicJwk as Record<string, unknown>)[member] = (jwk as Record<string, unknown>)[member]
  }
  return { kid: jwk.kid, alg: jwk.alg, status: statusOf(jwk), publicJwk }
}
