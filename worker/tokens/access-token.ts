import { SignJWT, errors } from 'jose'
import type { JWTHeaderParameters } from 'jose'
import { ACCESS_TOKEN_TYP, MAX_CLOCK_SKEW_LEEWAY, ROUTES, issuerUrl } from '../../contract/index.ts'
import type { AccessTokenClaims } from '../../contract/index.ts'
import type { AccessTokenKeys, AccessTokenOptions } from '../../verify/access-token.ts'
import type { Config } from '../config/config.ts'
import type { KeyRing } from '../keys/key-ring.ts'

export async function signAccessToken(
  ring: KeyRing,
  options: AccessTokenOptions,
  claims: Pick<
    AccessTokenClaims,
    'sub' | 'sid' | 'iat' | 'exp' | 'client_id' | 'email_verified' | 'status'
  > &
    AssuranceClaims,
): Promise<string> {
  const { kid, alg, key } = await ring.signingKey()
  const { sid, client_id, email_verified, status, amr, acr, auth_time } = claims
  return new SignJWT({
    sid,
    client_id,
    ...(email_verified === undefined ? {} : { email_verified }),
    ...(status === undefined ? {} : { status }),
    ...definedOnly({ amr, acr, auth_time }),
  })
    .setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(claims.sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(key)
}

/** How the user signed in (README: Second factor); each claim absent when the session has none. */
export type AssuranceClaims = Pick<AccessTokenClaims, 'amr' | 'acr' | 'auth_time'>

function definedOnly(claims: AssuranceClaims): AssuranceClaims {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined))
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
 * What the issuer checks its own access tokens against: none is accepted that claims to live, or
 * was issued, longer ago than `ACCESS_TOKEN_TTL` plus leeway, even with a valid signature.
 */
export function issuerTokenChecks(config: Config): AccessTokenOptions {
  const { issuer, audience, clockSkewLeeway, accessTokenTtl } = config
  return { issuer, audience, clockSkewLeeway, maxTokenAge: accessTokenTtl }
}

/** The feed access tokens name in `status.status_list.uri`, and the feed's own `sub`. */
export function revocationFeedUrl(config: Pick<Config, 'issuer'>): string {
  return issuerUrl(config.issuer, ROUTES.revocationFeed)
}

/**
 * Seconds after its session was revoked that an access token may still verify at some verifier:
 * every token of a session was issued before its revocation, and lives `ACCESS_TOKEN_TTL` plus
 * the verifier's leeway, which may be up to `MAX_CLOCK_SKEW_LEEWAY` whatever the issuer's own is.
 * The revocation feed lists revocations this recent, and the purge keeps sessions this long.
 */
export function revokedTokenWindow(config: Pick<Config, 'accessTokenTtl'>): number {
  return config.accessTokenTtl + MAX_CLOCK_SKEW_LEEWAY
}
