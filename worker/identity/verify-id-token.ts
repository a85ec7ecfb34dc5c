import { decodeJwt, errors, jwtVerify } from 'jose'
import { MAX_TOKEN_BYTES, RotorError } from '../../contract/index.ts'
import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import type { OidcProvider } from '../config/oidc-providers.ts'
import type { Issuer } from '../issuer.ts'

/** What a verified ID token says about the user. */
export type IdTokenClaims = {
  subject: string
  /** Lower-cased; present only when the provider says it is verified. */
  verifiedEmail: string | undefined
  /** How the provider authenticated the user (its `amr`, RFC 8176), bounded; empty when unsaid. */
  amr: string[]
}

export type VerifiedIdToken = { provider: OidcProvider; claims: IdTokenClaims }

/**
 * Verifies an OpenID Connect ID token (OIDC Core §3.1.3.7) from one of `OIDC_PROVIDERS`: size
 * capped before any parsing, the provider chosen by the exact `iss`, the signature checked with
 * the provider's published keys and pinned asymmetric algorithms, then `aud` (and `azp` when
 * there are several audiences), `exp`, `iat` and age with the issuer's leeway, `nonce` when
 * asked, and `typ` when the header has one. Refused with `ID_TOKEN_INVALID` (or
 * `PROVIDER_UNKNOWN`, or `PROVIDER_UNAVAILABLE` when the keys cannot be fetched).
 */
export async function verifyIdToken(
  issuer: Issuer,
  token: string,
  nonce: string | undefined,
): Promise<VerifiedIdToken> {
  if (new TextEncoder().encode(token).length > MAX_TOKEN_BYTES) {
    throw invalid(`The ID token is longer than ${MAX_TOKEN_BYTES} bytes`)
  }
  const entry = issuer.oidc.get(unverifiedIssuer(token))
  if (!entry) {
    throw new RotorError(
      'PROVIDER_UNKNOWN',
      'The ID token is from a provider this issuer does not trust',
    )
  }
  const { provider } = entry
  let payload: JWTPayload
  let typ: string | undefined
  try {
    const result = await jwtVerify(token, reachable(entry.keys), {
      issuer: provider.issuer,
      audience: provider.audience,
      algorithms: [...provider.algorithms],
      clockTolerance: issuer.config.clockSkewLeeway,
      currentDate: new Date(issuer.now()),
      maxTokenAge: provider.maxTokenAge,
      requiredClaims: ['sub', 'exp', 'iat'],
    })
    payload = result.payload
    typ = result.protectedHeader.typ
  } catch (error) {
    throw explain(error)
  }
  return { provider, claims: checkClaims(provider, payload, typ, nonce) }
}

function checkClaims(
  provider: OidcProvider,
  payload: JWTPayload,
  typ: string | undefined,
  nonce: string | undefined,
): IdTokenClaims {
  // An access token of the same provider (`at+jwt`, RFC 9068) is no proof of sign-in here.
  if (typ !== undefined && !['jwt', 'application/jwt'].includes(typ.toLowerCase())) {
    throw invalid('The token is not an ID token (typ)')
  }
  if (payload.exp! - payload.iat! > provider.maxTokenAge) {
    throw invalid('The ID token lives longer than this provider allows')
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (audiences.length > 1 && payload.azp !== provider.audience) {
    throw invalid('The ID token was issued to another client (azp)')
  }
  // A nonce binds the token to the sign-in that asked for it: given, it must match; a token
  // carrying one is refused without it, so a token lifted from that flow cannot be replayed here.
  if ((nonce !== undefined || payload.nonce !== undefined) && payload.nonce !== nonce) {
    throw invalid('The ID token’s nonce does not match')
  }
  const subject = payload.sub!
  if (subject.length === 0 || subject.length > 255) throw invalid('The ID token’s sub is malformed')
  const verified = payload.email_verified === true || payload.email_verified === 'true'
  if (provider.requireEmailVerified && !verified) {
    throw invalid('The provider has not verified this user’s email')
  }
  const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : undefined
  const plausible = email !== undefined && email.length <= 254 && /^[^@\s]+@[^@\s]+$/.test(email)
  return { subject, verifiedEmail: verified && plausible ? email : undefined, amr: amrOf(payload) }
}

/** The provider's `amr`: up to 8 short method names, anything else ignored (it is only reported). */
function amrOf(payload: JWTPayload): string[] {
  if (!Array.isArray(payload.amr)) return []
  const names = payload.amr.filter(
    (method): method is string =>
      typeof method === 'string' && /^[A-Za-z0-9_.:-]{1,32}$/.test(method),
  )
  return [...new Set(names)].slice(0, 8)
}

/** `iss` read before verification, only to choose the provider whose keys then verify it. */
function unverifiedIssuer(token: string): string {
  try {
    const { iss } = decodeJwt(token)
    if (typeof iss === 'string') return iss
  } catch {}
  throw invalid('The ID token is malformed')
}

/** Key lookups that fail for want of the provider (down, slow, not JSON) are told apart. */
function reachable(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token)
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSEAlgNotAllowed)
        throw error
      if (error instanceof errors.JWKSMultipleMatchingKeys) throw error
      throw new RotorError(
        'PROVIDER_UNAVAILABLE',
        'The provider’s keys could not be fetched; try again',
        {
          cause: error,
        },
      )
    }
  }
}

function explain(error: unknown): RotorError {
  if (error instanceof RotorError) return error
  if (error instanceof errors.JWTExpired) return invalid('The ID token has expired', error)
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(`The ID token’s ${error.claim} claim is not acceptable`, error)
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return invalid('The ID token is signed with a key the provider does not publish', error)
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalid('The ID token’s algorithm is not allowed for this provider', error)
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('The ID token’s signature does not verify', error)
  }
  if (error instanceof errors.JOSEError) return invalid('The ID token is malformed', error)
  throw error
}

function invalid(message: string, cause?: unknown): RotorError {
  return new RotorError('ID_TOKEN_INVALID', message, { cause })
}
