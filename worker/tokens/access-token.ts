import { SignJWT, errors, jwtVerify } from 'jose'
import type { JWTHeaderParameters, JWTPayload, JWTVerifyGetKey } from 'jose'
import { RotorError } from '../errors'
import type { KeyRing } from '../keys/key-ring'

export type AccessTokenClaims = {
  iss: string
  aud: string
  sub: string
  sid: string
  jti: string
  iat: number
  exp: number
}

export type AccessTokenOptions = {
  issuer: string
  audience: string
  /** Seconds the skew between clocks may hide an expiry. */
  clockSkewLeeway: number
}

/** RFC 9068 `typ` for JWT access tokens. */
export const ACCESS_TOKEN_TYP = 'at+jwt'
/** Tokens are capped before any crypto: jose would otherwise verify megabytes (DESIGN §9). */
export const MAX_TOKEN_BYTES = 8192

export async function signAccessToken(
  ring: KeyRing,
  options: AccessTokenOptions,
  claims: { sub: string; sid: string; iat: number; exp: number },
): Promise<string> {
  const { kid, alg, key } = await ring.signingKey()
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(claims.sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(key)
}

/** Where verification finds keys: the issuer's own ring, or a verifier's cached remote JWKS. */
export type AccessTokenKeys = {
  /** The only algorithms accepted; each key is further pinned to its own `alg`. */
  algorithms: readonly string[]
  getKey: JWTVerifyGetKey
}

// Built once per ring: every authenticated call verifies with it.
const ringKeys = new WeakMap<KeyRing, AccessTokenKeys>()

/** Verification keys from the issuer's ring: a `kid` must name a published key of that `alg`. */
export function keyRingKeys(ring: KeyRing): AccessTokenKeys {
  let keys = ringKeys.get(ring)
  if (!keys) {
    keys = {
      algorithms: [...new Set(ring.keys.map((key) => key.alg))],
      async getKey(header: JWTHeaderParameters) {
        const found =
          typeof header.kid === 'string' ? await ring.verificationKey(header.kid) : undefined
        if (!found || header.alg !== found.alg) throw new errors.JWKSNoMatchingKey()
        return found.key
      },
    }
    ringKeys.set(ring, keys)
  }
  return keys
}

/**
 * Verifies signature, `typ`, `iss`, `aud`, `exp` and `iat` with algorithms pinned. Keys come only
 * from `keys`: `jku`, `x5u` and `jwk` headers are never used. Throws `TOKEN_EXPIRED` or
 * `TOKEN_INVALID`.
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
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, keys.getKey, {
      algorithms: [...keys.algorithms],
      typ: ACCESS_TOKEN_TYP,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['exp', 'iat', 'sub', 'sid', 'jti'],
      clockTolerance: options.clockSkewLeeway,
      currentDate: new Date(nowSeconds * 1000),
    }))
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new RotorError('TOKEN_EXPIRED', 'Access token has expired', { cause: error })
    }
    throw new RotorError('TOKEN_INVALID', 'Access token is not valid', { cause: error })
  }
  return checkClaims(payload, nowSeconds, options.clockSkewLeeway)
}

function checkClaims(payload: JWTPayload, nowSeconds: number, leeway: number): AccessTokenClaims {
  const { sub, sid, jti, iat, exp } = payload as Record<string, unknown>
  const ok =
    typeof sub === 'string' &&
    typeof sid === 'string' &&
    typeof jti === 'string' &&
    Number.isInteger(iat) &&
    Number.isInteger(exp) &&
    // jose accepts an iat in the future and any exp; an access token is minted now and lives minutes.
    (iat as number) <= nowSeconds + leeway &&
    (exp as number) > (iat as number) &&
    (exp as number) - (iat as number) <= 86_400
  if (!ok) throw new RotorError('TOKEN_INVALID', 'Access token claims are not valid')
  return payload as AccessTokenClaims
}
