/** The signing algorithms Rotor supports (DESIGN §2). */
export const SIGNING_ALGS = ['ES256', 'EdDSA', 'RS256'] as const
export type SigningAlg = (typeof SIGNING_ALGS)[number]

/** The JWK key type each algorithm signs with. */
export const KTY_FOR_ALG: Readonly<Record<SigningAlg, string>> = {
  ES256: 'EC',
  EdDSA: 'OKP',
  RS256: 'RSA',
}

/** The curve each elliptic algorithm is pinned to. */
export const CRV_FOR_ALG: Readonly<Partial<Record<SigningAlg, string>>> = {
  ES256: 'P-256',
  EdDSA: 'Ed25519',
}

export function isSigningAlg(value: unknown): value is SigningAlg {
  return SIGNING_ALGS.includes(value as SigningAlg)
}
