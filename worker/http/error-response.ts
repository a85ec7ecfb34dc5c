import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc'
import { REASONS } from '../../contract/index.ts'
import type { RotorReason } from '../../contract/index.ts'

/**
 * A tRPC-shaped error response for failures caught before tRPC runs: the JSON-RPC number comes
 * from tRPC's own table, so these errors cannot drift from the ones tRPC answers.
 */
export function errorResponse(
  reason: RotorReason,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const { code, status } = REASONS[reason]
  return Response.json(
    {
      error: {
        message,
        code: TRPC_ERROR_CODES_BY_KEY[code],
        data: { code, httpStatus: status, reason },
      },
    },
    { status, headers: { 'cache-control': 'no-store', ...headers } },
  )
}
