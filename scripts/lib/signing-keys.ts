import { exportJWK, generateKeyPair } from 'jose'
import type { JWK } from 'jose'

export type SigningAlg = 'ES256' | 'EdDSA' | 'RS256'
export type KeyStatus = 'next' | 'current' | 'retiring'
export type SigningJwk = JWK & { kid: string; alg: SigningAlg; status: KeyStatus; created: number }

export const ALGORITHMS: readonly SigningAlg[] = ['ES256', 'EdDSA', 'RS256']

/** A fresh private signing key in the `SIGNING_KEYS` format. */
export async function generateSigningKey(alg: SigningAlg, status: KeyStatus): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
  })
  const jwk = await exportJWK(privateKey)
  const created = Math.floor(Date.now() / 1000)
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
export async function generateKeySet(): Promise<{ keys: SigningJwk[] }> {
  return { keys: await Promise.all(ALGORITHMS.map((alg) => generateSigningKey(alg, 'current'))) }
}
