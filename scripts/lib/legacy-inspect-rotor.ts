import { errors } from 'jose'
import { ConfigError } from '../../worker/config/config.ts'
import { isRotorError } from '../../contract/index.ts'
import { createKeyRing } from '../../worker/keys/key-ring.ts'
import { issuerTokenChecks, keyRingKeys } from '../../worker/tokens/access-token.ts'
import { verifyAccessToken } from '../../verify/access-token.ts'
import { cannotJudge, describeTime, refused } from './legacy-inspect-verdict.ts'
import type { Config } from '../../worker/config/config.ts'
import type { Decoded, Judgement } from './legacy-inspect-verdict.ts'

/**
 * A Rotor access token (`typ: at+jwt`) against `SIGNING_KEYS` and the config: the key lookup
 * explained first (the commonest failure after a rotation), then the worker's own verification.
 */
export async function inspectAccessToken(
  token: string,
  { header, claims }: Decoded,
  env: Readonly<Record<string, unknown>>,
  config: Config,
  now: number,
): Promise<Judgement> {
  let ring
  try {
    ring = createKeyRing(env.SIGNING_KEYS, config.signingAlg)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return cannotJudge(`${error.message} (give the ring with .dev.vars or --env-file)`)
  }
  const key = ring.keys.find((candidate) => candidate.kid === header.kid)
  if (key === undefined) {
    const kid = typeof header.kid === 'string' ? `"${header.kid}"` : 'none'
    return refused('TOKEN_INVALID', [
      `Its key id (kid) is ${kid}, which no key in SIGNING_KEYS has: signed by a key since removed, or by another issuer.`,
    ])
  }
  if (header.alg !== key.alg) {
    return refused('TOKEN_INVALID', [
      `It says alg ${String(header.alg)}, but key "${key.kid}" is pinned to ${key.alg}.`,
    ])
  }
  const nowSeconds = Math.floor(now / 1000)
  try {
    await verifyAccessToken(keyRingKeys(ring), issuerTokenChecks(config), token, nowSeconds)
  } catch (error) {
    if (!isRotorError(error)) throw error
    const why = explain(error.cause, claims, config, nowSeconds) ?? `${error.message}.`
    return refused(error.reason, [why])
  }
  return {
    verdict: 'accepted',
    why: [
      `Signed by key "${key.kid}" (${key.status}), issuer and audience match, ${describeTime(Number(claims.exp), nowSeconds, 'expires')}.`,
    ],
    notes: [
      `The issuer also checks that session ${String(claims.sid)} is still live (signed in, not past its lifetimes); that needs D1 and is not checked here.`,
    ],
  }
}

function explain(
  cause: unknown,
  claims: Record<string, unknown>,
  config: Config,
  nowSeconds: number,
): string | undefined {
  const { iat, exp } = claims
  const ttl = `ACCESS_TOKEN_TTL is ${config.accessTokenTtl} s, CLOCK_SKEW_LEEWAY ${config.clockSkewLeeway} s`
  if (typeof iat === 'number' && iat > nowSeconds + config.clockSkewLeeway) {
    return `It claims to be issued in the future (${describeTime(iat, nowSeconds, 'issued')}).`
  }
  if (cause instanceof errors.JWTExpired && cause.claim === 'iat') {
    return `It was ${describeTime(Number(iat), nowSeconds, 'issued')}: older than any token this issuer mints (${ttl}).`
  }
  // Refused after jose's checks passed: the lifetime it claims is the one left to explain.
  if (
    cause === undefined &&
    typeof iat === 'number' &&
    typeof exp === 'number' &&
    exp - iat > config.accessTokenTtl + config.clockSkewLeeway
  ) {
    return `It claims a lifetime of ${exp - iat} s (exp − iat), longer than this issuer mints (${ttl}).`
  }
  if (cause instanceof errors.JWTExpired) {
    return `It ${describeTime(Number(claims.exp), nowSeconds, 'expired')} (CLOCK_SKEW_LEEWAY is ${config.clockSkewLeeway} s).`
  }
  if (cause instanceof errors.JWTClaimValidationFailed) {
    if (cause.claim === 'iss') {
      return `It was issued by ${JSON.stringify(claims.iss)}; this configuration's ISSUER is "${config.issuer}".`
    }
    if (cause.claim === 'aud') {
      return `Its audience is ${JSON.stringify(claims.aud)}; this configuration's AUDIENCE is "${config.audience}".`
    }
    if (cause.reason === 'missing') return `It lacks the required claim "${cause.claim}".`
    return `Its "${cause.claim}" is not acceptable: ${cause.message}.`
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return 'Its signature does not verify: the token was altered, or signed by another key that reuses this kid.'
  }
  if (cause instanceof errors.JOSEAlgNotAllowed)
    return 'Its algorithm is not one this issuer signs with.'
  return undefined
}
