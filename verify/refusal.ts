import { REASONS } from '../contract/index.ts'
import type { RotorError } from '../contract/index.ts'
import { bearerChallenge } from './bearer-challenge.ts'

/**
 * The 401/403/429/503 a resource worker answers for a refused token: `error.data.reason` as the
 * issuer's tRPC errors carry it, and on a 401 a `Bearer` challenge (RFC 6750 §3): bare when no
 * token was sent, `error="invalid_token"` when the one sent was refused. A 503 (the issuer could
 * not be reached, or feed mode holds no trusted feed) judged no token, so it carries none, but
 * says when to try again (`Retry-After`) where the error knows.
 */
export function refusalResponse(error: RotorError): Response {
  const { code, status } = REASONS[error.reason]
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter)
  if (status === 401) {
    headers['www-authenticate'] = bearerChallenge(error.reason, {
      sentToken: error.reason !== 'TOKEN_MISSING',
      description: error.message,
    })
  }
  return Response.json(
    { error: { message: error.message, data: { code, httpStatus: status, reason: error.reason } } },
    { status, headers },
  )
}
