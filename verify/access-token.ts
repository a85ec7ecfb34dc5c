import { errors, jwtVerify } from 'jose'
import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import {
  ACCESS_TOKEN_TYP,
  MAX_ACCESS_TOKEN_LIFETIME,
  MAX_TOKEN_BYTES,
  RotorError,
  isRotorError,
} from '../contract/index.ts'
import type { AccessTokenClaims } from '../contract/index.ts'

/** Where verification finds keys: the issuer's own ring, or a verifier's cached remote JWKS. */
export type AccessTokenKeys = {
  /** The only algorithms accepted; each key is further pinned to its own `alg`. */
  algorithms: readonly string[]
  getKey: JWTVerifyGetKey
}

export type AccessTokenOptions = {
  issuer: string
  audience: string
  /** Seconds the skew between clocks may hide an expiry. */
  clockSkewLeeway: number
  /**
   * Seconds a token may live (`exp − iat`) and may have been issued ago (`now − iat`), each plus
   * the leeway, whatever it claims: the issuer's `ACCESS_TOKEN_TTL`. Never above
   * `MAX_ACCESS_TOKEN_LIFETIME`, which is also the default.
   */
  maxTokenAge?: number
}

/**
 * Verifies signature, `typ`, `iss`, `aud`, `exp`, `iat` (its age and the lifetime it claims
 * bounded by `maxTokenAge`) and `client_id` with algorithms pinned. Keys come only
 * from `keys`: `jku`, `x5u` and `jwk` headers are never used. The issuer and every verifier run
 * this same check. Throws `TOKEN_EXPIRED` or `TOKEN_INVALID`.
 */
export async function verifyAccessToken(
  keys: AccessTokenKeys,
  options: AccessTokenOptions,
  token: string,
  nowSeconds: number,
): Promise<AccessTokenClaims> {
  if (token.length > MAX_TOKEN_BYTES) {
    throw new RotorError('TOKEN_INVALID', 'Access token is too large')
  }
  const maxTokenAge = Math.min(
    options.maxTokenAge ?? MAX_ACCESS_TOKEN_LIFETIME,
    MAX_ACCESS_TOKEN_LIFETIME,
  )
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, keys.getKey, {
      algorithms: [...keys.algorithms],
      typ: ACCESS_TOKEN_TYP,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['exp', 'iat', 'sub', 'sid', 'jti', 'client_id'],
      clockTolerance: options.clockSkewLeeway,
      // A signed token older than any token the issuer mints is refused as expired.
      maxTokenAge,
      currentDate: new Date(nowSeconds * 1000),
    }))
  } catch (error) {
    // The key source's own refusal (a verifier that cannot reach the issuer) is not the token's.
    if (isRotorError(error)) throw error
    if (error instanceof errors.JWTExpired) {
      throw new RotorError('TOKEN_EXPIRED', 'Access token has expired', { cause: error })
    }
    throw new RotorError('TOKEN_INVALID', 'Access token is not valid', { cause: error })
  }
  const maxLifetime = Math.min(maxTokenAge + options.clockSkewLeeway, MAX_ACCESS_TOKEN_LIFETIME)
  return checkClaims(payload, nowSeconds, options.clockSkewLeeway, maxLifetime)
}

function checkClaims(
  payload: JWTPayload,
  nowSeconds: number,
  leeway: number,
  maxLifetime: number,
): AccessTokenClaims {
  const { sub, sid, jti, iat, exp, client_id } = payload as Record<string, unknown>
  const ok =
    typeof sub === 'string' &&
    typeof sid === 'string' &&
    typeof jti === 'string' &&
    typeof client_id === 'string' &&
    Number.isInteger(iat) &&
    Number.isInteger(exp) &&
    // jose accepts an iat in the future and any exp; an access token is minted now and lives minutes.
    (iat as number) <= nowSeconds + leeway &&
    (exp as number) > (iat as number) &&
    (exp as number) - (iat as number) <= maxLifetime &&
    isAssuranceValid(payload, iat as number)
  if (!ok) throw new RotorError('TOKEN_INVALID', 'Access token claims are not valid')
  return payload as AccessTokenClaims
}

/**
 * `amr`, `acr` and `auth_time`, which step-up reads (verify/step-up.ts), each absent or well typed,
 * and no authentication later than the token's own issue.
 */
function isAssuranceValid(payload: JWTPayload, iat: number): boolean {
  const { amr, acr, auth_time } = payload as Record<string, unknown>
  return (
    (amr === undefined || (Array.isArray(amr) && amr.every((m) => typeof m === 'string'))) &&
    (acr === undefined || typeof acr === 'string') &&
    (auth_time === undefined || (Number.isInteger(auth_time) && (auth_time as number) <= iat))
  )
}
