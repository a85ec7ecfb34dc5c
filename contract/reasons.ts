/**
 * Machine-readable failure reasons, surfaced as `error.data.reason`. The first thirteen are the
 * contract (DESIGN §6); the rest extend it for failures the contract does not name.
 */
export type RotorReason =
  | 'INVALID_CREDENTIALS'
  | 'TOKEN_MISSING'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'SESSION_REVOKED'
  | 'SESSION_EXPIRED'
  | 'REFRESH_TOKEN_INVALID'
  | 'REFRESH_TOKEN_REUSED'
  | 'EMAIL_TAKEN'
  | 'WEAK_PASSWORD'
  | 'RATE_LIMITED'
  | 'ORIGIN_REJECTED'
  | 'LEGACY_TOKEN_REJECTED'
  | 'INVALID_INPUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'SESSION_NOT_FOUND'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'INTERNAL_ERROR'
  | 'ISSUER_UNAVAILABLE'
  | 'INSUFFICIENT_USER_AUTHENTICATION'
  | 'CREDENTIALS_CONFLICT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'PROVIDER_UNKNOWN'
  | 'PROVIDER_UNAVAILABLE'
  | 'ID_TOKEN_INVALID'
  | 'IDENTITY_NOT_LINKED'
  | 'IDENTITY_EMAIL_TAKEN'
  | 'USER_NOT_FOUND'
  | 'CODE_INVALID'
  | 'EMAIL_NOT_VERIFIED'
  | 'MAIL_UNAVAILABLE'
  | 'REVOCATION_FEED_UNAVAILABLE'
  | 'MFA_REQUIRED'
  | 'MFA_CODE_INVALID'
  | 'MFA_CHALLENGE_INVALID'
  | 'MFA_NOT_ENROLLED'
  | 'MFA_ALREADY_ENROLLED'
  | 'MFA_UNAVAILABLE'

/** The tRPC error codes Rotor answers with; tRPC's own tables give their numbers. */
export type RotorErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_SUPPORTED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE'

/** Each reason's tRPC error code and HTTP status (the status is the one tRPC gives that code). */
export const REASONS: Readonly<Record<RotorReason, { code: RotorErrorCode; status: number }>> = {
  INVALID_CREDENTIALS: { code: 'UNAUTHORIZED', status: 401 },
  TOKEN_MISSING: { code: 'UNAUTHORIZED', status: 401 },
  TOKEN_INVALID: { code: 'UNAUTHORIZED', status: 401 },
  TOKEN_EXPIRED: { code: 'UNAUTHORIZED', status: 401 },
  SESSION_REVOKED: { code: 'UNAUTHORIZED', status: 401 },
  SESSION_EXPIRED: { code: 'UNAUTHORIZED', status: 401 },
  REFRESH_TOKEN_INVALID: { code: 'UNAUTHORIZED', status: 401 },
  REFRESH_TOKEN_REUSED: { code: 'UNAUTHORIZED', status: 401 },
  EMAIL_TAKEN: { code: 'CONFLICT', status: 409 },
  WEAK_PASSWORD: { code: 'BAD_REQUEST', status: 400 },
  RATE_LIMITED: { code: 'TOO_MANY_REQUESTS', status: 429 },
  ORIGIN_REJECTED: { code: 'FORBIDDEN', status: 403 },
  LEGACY_TOKEN_REJECTED: { code: 'UNAUTHORIZED', status: 401 },
  INVALID_INPUT: { code: 'BAD_REQUEST', status: 400 },
  PAYLOAD_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413 },
  SESSION_NOT_FOUND: { code: 'NOT_FOUND', status: 404 },
  NOT_FOUND: { code: 'NOT_FOUND', status: 404 },
  METHOD_NOT_ALLOWED: { code: 'METHOD_NOT_SUPPORTED', status: 405 },
  INTERNAL_ERROR: { code: 'INTERNAL_SERVER_ERROR', status: 500 },
  // A verifier that cannot fetch the issuer's keys or ask it about a session: try again later.
  ISSUER_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  // A verifier's step-up (RFC 9470): the token is valid, but how or how long ago the user
  // authenticated (`amr`, `acr`, `auth_time`) is not enough for this route. The challenge names
  // what is needed; a step-up (`auth.stepUp`, a fresh code) and a retry answer it.
  INSUFFICIENT_USER_AUTHENTICATION: { code: 'UNAUTHORIZED', status: 401 },
  // One credential per request: the refresh cookie named twice (one may be planted), a refresh
  // token in both the cookie and the body, or tokens of two different sessions.
  CREDENTIALS_CONFLICT: { code: 'BAD_REQUEST', status: 400 },
  // Lazy migration: the password service Rotor asks about a not yet migrated user did not answer
  // in time or answered nonsense. Nothing was created; try again later (Retry-After).
  UPSTREAM_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  // Sign-in with another system's ID token (README: Sessions from another system).
  // The token's `iss` names no provider of OIDC_PROVIDERS.
  PROVIDER_UNKNOWN: { code: 'UNAUTHORIZED', status: 401 },
  // The provider's JWKS could not be fetched: nothing was decided, try again later.
  PROVIDER_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  // Signature, algorithm, audience, expiry, nonce, type or size of the ID token refused.
  ID_TOKEN_INVALID: { code: 'UNAUTHORIZED', status: 401 },
  // A valid ID token whose subject links no user, and the provider may not create one.
  IDENTITY_NOT_LINKED: { code: 'FORBIDDEN', status: 403 },
  // The token's email belongs to a user not linked to it: never linked by email (takeover).
  IDENTITY_EMAIL_TAKEN: { code: 'CONFLICT', status: 409 },
  // A trusted service named a user (or identity) that does not exist (SessionService).
  USER_NOT_FOUND: { code: 'NOT_FOUND', status: 404 },
  // A one-time code (reset, verification, email change) that is wrong, expired, used, or not this
  // account's: one reason for all, so an answer tells a guesser nothing about the code.
  CODE_INVALID: { code: 'BAD_REQUEST', status: 400 },
  // Sign-in refused until the address is verified (REQUIRE_EMAIL_VERIFIED = "on").
  EMAIL_NOT_VERIFIED: { code: 'FORBIDDEN', status: 403 },
  // The mail transport is off, failed or timed out: nothing was changed; try again later.
  MAIL_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  // A verifier in `feed` mode whose last good revocation feed is older than its `maxStaleness`
  // (the issuer's feed unreachable, or answering what it cannot verify), failing closed: whether
  // the token's session was signed out cannot be told. Try again later (Retry-After).
  REVOCATION_FEED_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  // Second factor (README: Second factor). The password was right and the user has a second
  // factor: `error.data.mfa` carries the challenge for `auth.verifyMfa`. No session was started.
  MFA_REQUIRED: { code: 'UNAUTHORIZED', status: 401 },
  // A TOTP or recovery code that is wrong, replayed, outside the drift window or another user's:
  // one reason for all, so an answer tells a guesser nothing. Counted toward the limits.
  MFA_CODE_INVALID: { code: 'UNAUTHORIZED', status: 401 },
  // A sign-in challenge that is unknown, used, expired or void after too many wrong codes:
  // sign in again.
  MFA_CHALLENGE_INVALID: { code: 'UNAUTHORIZED', status: 401 },
  // The call needs a confirmed second factor (or, to confirm, a started enrolment) and there is none.
  MFA_NOT_ENROLLED: { code: 'BAD_REQUEST', status: 400 },
  // Enrolment (or its confirmation) when a confirmed factor exists: disable it first.
  MFA_ALREADY_ENROLLED: { code: 'CONFLICT', status: 409 },
  // The issuer has no MFA_ENCRYPTION_KEY: no factor can be enrolled or checked. Nothing changed.
  MFA_UNAVAILABLE: { code: 'SERVICE_UNAVAILABLE', status: 503 },
}

/** HTTP status for each reason. */
export const REASON_STATUS: Readonly<Record<RotorReason, number>> = Object.fromEntries(
  Object.entries(REASONS).map(([reason, { status }]) => [reason, status]),
) as Record<RotorReason, number>

/** Whether `value` is one of Rotor's reasons (an answer from the wire is a plain string). */
export function isRotorReason(value: unknown): value is RotorReason {
  return typeof value === 'string' && Object.hasOwn(REASONS, value)
}

/**
 * The reasons a refresh answers when its session is over for good, so the user signs in again:
 * the issuer clears the refresh cookie on them, and the client reports them as signed out.
 */
export const SESSION_ENDING_REASONS = [
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'REFRESH_TOKEN_REUSED',
  'REFRESH_TOKEN_INVALID',
] as const satisfies readonly RotorReason[]
export type SessionEndingReason = (typeof SESSION_ENDING_REASONS)[number]
