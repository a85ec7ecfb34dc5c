import { describe, expect, test } from 'vitest'
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc'
import { REASONS } from '../../../contract/index.ts'
import { errorResponse } from '../../../worker/http/error-response.ts'
import type { RotorReason } from '../../../contract/index.ts'

const reasons = Object.keys(REASONS) as RotorReason[]

describe('errors answered before tRPC runs', () => {
  test.each(reasons)('%s carries the JSON-RPC number and status tRPC gives its code', async (r) => {
    const response = errorResponse(r, 'refused')
    const { code, status } = REASONS[r]
    expect(response.status).toBe(status)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({
      error: {
        message: 'refused',
        code: TRPC_ERROR_CODES_BY_KEY[code],
        data: { code, httpStatus: status, reason: r },
      },
    })
  })

  test('a too-large body and a rate limit carry tRPC’s -32013 and -32029', async () => {
    const numberOf = async (r: RotorReason) => {
      const body = (await errorResponse(r, 'x').json()) as { error: { code: number } }
      return body.error.code
    }
    expect(await numberOf('PAYLOAD_TOO_LARGE')).toBe(-32013)
    expect(await numberOf('RATE_LIMITED')).toBe(-32029)
  })
})
