import { REASON_STATUS } from '../../contract/index.ts'
import type { RotorReason } from '../../contract/index.ts'

// JSON-RPC numbers tRPC uses for these HTTP statuses, so every error has tRPC's shape.
const RPC_CODES: Readonly<Record<number, [number, string]>> = {
  400: [-32600, 'BAD_REQUEST'],
  401: [-32001, 'UNAUTHORIZED'],
  403: [-32003, 'FORBIDDEN'],
  404: [-32004, 'NOT_FOUND'],
  413: [-32413, 'PAYLOAD_TOO_LARGE'],
  429: [-32429, 'TOO_MANY_REQUESTS'],
  500: [-32603, 'INTERNAL_SERVER_ERROR'],
}

/** A tRPC-shaped error response for failures caught before tRPC runs. */
export function errorResponse(reason: RotorReason, message: string): Response {
  const httpStatus = REASON_STATUS[reason]
  const [code, name] = RPC_CODES[httpStatus] ?? RPC_CODES[500]!
  return Response.json(
    { error: { message, code, data: { code: name, httpStatus, reason } } },
    { status: httpStatus, headers: { 'cache-control': 'no-store' } },
  )
}
