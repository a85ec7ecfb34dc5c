import type { SigningAlg } from '../../contract/index.ts'
import { SIGNING_ALGS } from '../../contract/index.ts'
import { createKeyRing } from '../../worker/keys/key-ring.ts'
import type { Issuer } from '../../worker/issuer.ts'
import type { KeyRing } from '../../worker/keys/key-ring.ts'

/**
 * One ring per algorithm over the same `SIGNING_KEYS` (one current key each), so tokens of every
 * algorithm can be signed without restarting the issuer with another `SIGNING_ALG`. Every key is
 * in every ring's JWKS, so the verifier accepts all three.
 */
export function createRings(signingKeys: unknown): (alg: string | undefined) => KeyRing {
  const rings = new Map<SigningAlg, KeyRing>()
  return (alg) => {
    const name = SIGNING_ALGS.find((candidate) => candidate === alg)
    if (!name) throw new Error(`alg must be one of ${SIGNING_ALGS.join(', ')}`)
    let ring = rings.get(name)
    if (!ring) {
      ring = createKeyRing(signingKeys, name)
      rings.set(name, ring)
    }
    return ring
  }
}

/** `?n=` as a bounded whole number: a bench route never loops without a limit. */
export function readCount(value: string | undefined, max: number): number {
  const n = Number(value ?? 0)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`n must be 0..${max}`)
  return n
}

/** Claims of a bench access token signed now, with the issuer's lifetime; a fresh `sid` each. */
export function benchClaims(issuer: Pick<Issuer, 'now' | 'config'>) {
  const iat = Math.floor(issuer.now() / 1000)
  const sid = crypto.randomUUID()
  const exp = iat + issuer.config.accessTokenTtl
  return { sub: 'bench-user', sid, iat, exp, client_id: issuer.config.clientIds.default }
}
