import type { TokenStatusClaim } from './revocation-feed.ts'

/** The claims of a Rotor access token (DESIGN §2, RFC 9068). Times in epoch seconds. */
export type AccessTokenClaims = {
  iss: string
  aud: string
  sub: string
  sid: string
  jti: string
  iat: number
  exp: number
  /**
   * The first-party client the session was started for (RFC 9068 §2.2), one of the issuer's
   * `CLIENT_IDS`; the same for every access token of a session.
   */
  client_id: string
  /**
   * Whether the user's email address was shown to be theirs (OpenID Connect Core §5.1), as it was
   * when the token was issued. Absent from tokens issued before Rotor recorded it.
   */
  email_verified?: boolean
  /**
   * The session's place in the revocation feed (draft-ietf-oauth-status-list §6.1): a verifier
   * in `feed` mode refuses the token once the bit at `idx` of the list at `uri` is set. Absent
   * from tokens issued before the feed existed.
   */
  status?: TokenStatusClaim
  /**
   * How the user signed in (RFC 8176 values: `pwd`, `otp`, `mfa`, or an OpenID provider's own),
   * the same for every token of the session until a step-up adds `otp` and `mfa`. Absent from
   * sessions started before Rotor recorded it, or where the method is unknown (a legacy-token
   * exchange, a trusted service's session).
   */
  amr?: string[]
  /** The assurance level `amr` gives (`ACR` in contract/mfa.ts: `urn:rotor:aal1` or `…:aal2`). */
  acr?: string
  /** When the user last authenticated (sign-in, or a step-up since), epoch seconds (OIDC Core §2). */
  auth_time?: number
}

/** RFC 9068 `typ` for JWT access tokens. */
export const ACCESS_TOKEN_TYP = 'at+jwt'

/** Tokens are capped before any crypto: jose would otherwise verify megabytes (DESIGN §9). */
export const MAX_TOKEN_BYTES = 8192

/** Longest `exp − iat` an access token may claim, in seconds, whatever its signature. */
export const MAX_ACCESS_TOKEN_LIFETIME = 86_400

/** The most clock skew a verifier may tolerate, in seconds (DESIGN §2). */
export const MAX_CLOCK_SKEW_LEEWAY = 60
