import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc'
import { REASONS } from '../../contract/index.ts'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server'
import type { RotorReason } from '../../contract/index.ts'

/**
 * A tRPC-shaped error response for failures caught before tRPC runs: the JSON-RPC number and the
 * status come from tRPC's own tables, so these errors cannot drift from the ones tRPC answers.
 * `code` defaults to the reason's; tRPC's own refusals keep theirs (`UNSUPPORTED_MEDIA_TYPE`, 415,
 * is an `INVALID_INPUT` as when tRPC answers it).
 */
export function errorResponse(
  reason: RotorReason,
  message: string,
  headers: Record<string, string> = {},
  code: TRPC_ERROR_CODE_KEY = REASONS[reason].code,
): Response {
  const status = getHTTPStatusCodeFromError(new TRPCError({ code }))
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
