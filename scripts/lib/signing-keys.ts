import { exportJWK, generateKeyPair } from 'jose'
import type { JWK } from 'jose'
import { SIGNING_ALGS } from '../../contract/index.ts'
import type { KeyStatus, SigningAlg } from '../../contract/index.ts'

/**
 * A private key in `SIGNING_KEYS`. `created`, `published` and `retired` are epoch seconds; the
 * worker ignores `published` and `retired`, the key script reads them to time each step.
 */
export type SigningJwk = JWK & {
  kid: string
  alg: SigningAlg
  status: KeyStatus
  created: number
  /** When the key entered the ring as `next`, so verifiers' JWKS caches could start to see it. */
  published?: number
  /** When the key stopped signing (`current` → `retiring`). */
  retired?: number
}
/** The `SIGNING_KEYS` secret: a JWK Set of private keys. */
export type KeySet = { keys: SigningJwk[] }

export type GenerateKeyOptions = {
  /** The clock, in epoch seconds. @default the system clock */
  now?: number
}

/** A fresh private signing key in the `SIGNING_KEYS` format. */
export async function generateSigningKey(
  alg: SigningAlg,
  status: KeyStatus,
  options: GenerateKeyOptions = {},
): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
  })
  const jwk = await exportJWK(privateKey)
  const created = options.now ?? Math.floor(Date.now() / 1000)
  return {
    ...jwk,
    kid: `${alg.toLowerCase()}-${created}-${crypto.randomUUID().slice(0, 8)}`,
    alg,
    use: 'sig',
    status,
    created,
  }
}

/** One current key per algorithm, so `SIGNING_ALG` can be switched without new keys. */
export async function generateKeySet(options: GenerateKeyOptions = {}): Promise<KeySet> {
  return {
    keys: await Promise.all(SIGNING_ALGS.map((alg) => generateSigningKey(alg, 'current', options))),
  }
}
