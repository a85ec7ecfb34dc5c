import { REASONS, stepUpChallenge } from '../contract/index.ts'
import type { RotorError, StepUpRequirement } from '../contract/index.ts'
import { bearerChallenge } from './bearer-challenge.ts'

/**
 * The 401/403/429/503 a resource worker answers for a refused token: `error.data.reason` as the
 * issuer's tRPC errors carry it, and on a 401 a `Bearer` challenge (RFC 6750 §3): bare when no
 * token was sent, `error="invalid_token"` when the one sent was refused. A 503 (the issuer could
 * not be reached, or feed mode holds no trusted feed) judged no token, so it carries none, but
 * says when to try again (`Retry-After`) where the error knows.
 */
export function refusalResponse(error: RotorError, stepUp?: StepUpRequirement): Response {
  const { code, status } = REASONS[error.reason]
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter)
  if (status === 401) {
    // A step-up refusal (RFC 9470 §3) names what is needed, also in `error.data.stepUp`: a page
    // on another origin cannot read `WWW-Authenticate` unless the API exposes it (CORS).
    headers['www-authenticate'] = stepUp
      ? stepUpChallenge(stepUp, error.message)
      : bearerChallenge(error.reason, {
          sentToken: error.reason !== 'TOKEN_MISSING',
          description: error.message,
        })
  }
  return Response.json(
    {
      error: {
        message: error.message,
        data: { code, httpStatus: status, reason: error.reason, ...(stepUp && { stepUp }) },
      },
    },
    { status, headers },
  )
}
