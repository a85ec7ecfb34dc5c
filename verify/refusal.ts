import { REASONS } from '../contract/index.ts'
import type { RotorError } from '../contract/index.ts'

/**
 * The 401/403/429/503 a resource worker answers for a refused token: `error.data.reason` as the
 * issuer's tRPC errors carry it, and a `Bearer` challenge (RFC 6750 §3) unless the token was not
 * judged at all (503: the issuer could not be reached).
 */
export function refusalResponse(error: RotorError): Response {
  const { code, status } = REASONS[error.reason]
  return Response.json(
    { error: { message: error.message, data: { code, httpStatus: status, reason: error.reason } } },
    {
      status,
      headers: {
        'cache-control': 'no-store',
        ...(status === 503 ? {} : { 'www-authenticate': 'Bearer error="invalid_token"' }),
      },
    },
  )
}
