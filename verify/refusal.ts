import { REASONS } from '../contract/index.ts'
import type { RotorError } from '../contract/index.ts'

/**
 * The 401/403/429 a resource worker answers for a refused token: `error.data.reason` as the
 * issuer's tRPC errors carry it, and a `Bearer` challenge (RFC 6750 §3).
 */
export function refusalResponse(error: RotorError): Response {
  const { code, status } = REASONS[error.reason]
  return Response.json(
    { error: { message: error.message, data: { code, httpStatus: status, reason: error.reason } } },
    {
      status,
      headers: {
        'cache-control': 'no-store',
        'www-authenticate': 'Bearer error="invalid_token"',
      },
    },
  )
}
