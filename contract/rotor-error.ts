import type { MfaChallenge } from './mfa.ts'
import type { RotorReason } from './reasons.ts'

/** The one error type Rotor throws on purpose. Its message never contains a secret. */
export class RotorError extends Error {
  override readonly name = 'RotorError'
  readonly reason: RotorReason
  /** Seconds to wait, for `RATE_LIMITED` and `UPSTREAM_UNAVAILABLE` (sent as `Retry-After`). */
  readonly retryAfter: number | undefined
  /** For `MFA_REQUIRED`: the challenge the second step answers (sent as `error.data.mfa`). */
  readonly mfa: MfaChallenge | undefined

  constructor(
    reason: RotorReason,
    message: string,
    options?: { cause?: unknown; retryAfter?: number; mfa?: MfaChallenge },
  ) {
    super(message, { cause: options?.cause })
    this.reason = reason
    this.retryAfter = options?.retryAfter
    this.mfa = options?.mfa
  }
}

export function isRotorError(error: unknown): error is RotorError {
  return error instanceof RotorError
}
