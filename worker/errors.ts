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
  | 'INTERNAL_ERROR'

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

/** HTTP status for each reason; tRPC codes are derived from these. */
export const REASON_STATUS: Readonly<Record<RotorReason, number>> = {
  INVALID_CREDENTIALS: 401,
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  SESSION_REVOKED: 401,
  SESSION_EXPIRED: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  EMAIL_TAKEN: 409,
  WEAK_PASSWORD: 400,
  RATE_LIMITED: 429,
  ORIGIN_REJECTED: 403,
  LEGACY_TOKEN_REJECTED: 401,
  INVALID_INPUT: 400,
  PAYLOAD_TOO_LARGE: 413,
  SESSION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
}

/** The one error type Rotor throws on purpose. Its message never contains a secret. */
export class RotorError extends Error {
  override readonly name = 'RotorError'
  readonly reason: RotorReason
  /** Seconds to wait, for `RATE_LIMITED`. */
  readonly retryAfter: number | undefined

  constructor(
    reason: RotorReason,
    message: string,
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(message, { cause: options?.cause })
    this.reason = reason
    this.retryAfter = options?.retryAfter
  }
}

export function isRotorError(error: unknown): error is RotorError {
  return error instanceof RotorError
}
