import { TRPCClientError } from '@trpc/client'
import { describe, expect, test } from 'vitest'
import { classifyFailure } from '../../client/failure.ts'

/** A client error as httpLink builds it from an error response. */
function serverError(status: number, reason?: string, headers: Record<string, string> = {}) {
  const data = { code: 'X', httpStatus: status, ...(reason ? { reason } : {}) }
  return TRPCClientError.from(
    { error: { message: reason ?? 'error', code: -32000, data } },
    { meta: { response: new Response(null, { status, headers }) } },
  )
}

describe('classifying a failed call', () => {
  test.each([
    'SESSION_REVOKED',
    'SESSION_EXPIRED',
    'REFRESH_TOKEN_REUSED',
    'REFRESH_TOKEN_INVALID',
  ])('%s ends the session', (reason) => {
    expect(classifyFailure(serverError(401, reason))).toMatchObject({ kind: 'definitive', reason })
  })

  test.each(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'TOKEN_MISSING', undefined])(
    'a 401 with %s may be cured by a new token',
    (reason) => {
      expect(classifyFailure(serverError(401, reason)).kind).toBe('token-rejected')
    },
  )

  test('a 401 about the call itself is not a token problem', () => {
    expect(classifyFailure(serverError(401, 'INVALID_CREDENTIALS')).kind).toBe('other')
    expect(classifyFailure(serverError(400, 'INVALID_INPUT')).kind).toBe('other')
    expect(classifyFailure(serverError(403, 'ORIGIN_REJECTED')).kind).toBe('other')
  })

  test('5xx, 408, 429 and failures without a response are transient', () => {
    expect(classifyFailure(serverError(503)).kind).toBe('transient')
    expect(classifyFailure(serverError(408)).kind).toBe('transient')
    expect(classifyFailure(serverError(429, 'RATE_LIMITED')).kind).toBe('transient')
    expect(classifyFailure(new TypeError('fetch failed')).kind).toBe('transient')
    expect(classifyFailure(TRPCClientError.from(new TypeError('fetch failed'))).kind).toBe(
      'transient',
    )
  })

  test('UPSTREAM_UNAVAILABLE (lazy migration) is transient like any 503, with its Retry-After', () => {
    const error = serverError(503, 'UPSTREAM_UNAVAILABLE', { 'retry-after': '5' })
    expect(classifyFailure(error)).toEqual({
      kind: 'transient',
      reason: 'UPSTREAM_UNAVAILABLE',
      retryAfterMs: 5_000,
    })
  })

  test('a non-JSON gateway error keeps its HTTP status and is transient', () => {
    const error = TRPCClientError.from(new SyntaxError('Unexpected token <'), {
      meta: { response: new Response('<html>', { status: 502 }) },
    })
    expect(classifyFailure(error).kind).toBe('transient')
  })

  test("an API's refusal that tRPC cannot read still gives its reason", () => {
    // rotor/verify's body: the issuer's `error.data`, without tRPC's numeric `error.code`.
    const body = {
      error: { message: 'gone', data: { httpStatus: 401, reason: 'SESSION_REVOKED' } },
    }
    const error = TRPCClientError.from(new Error('Unable to transform response from server'), {
      meta: { response: new Response(null, { status: 401 }), responseJSON: body },
    })
    expect(classifyFailure(error)).toMatchObject({ kind: 'definitive', reason: 'SESSION_REVOKED' })
    const bare = TRPCClientError.from(new Error('Unable to transform response from server'), {
      meta: { response: new Response(null, { status: 401 }), responseJSON: [body] },
    })
    expect(classifyFailure(bare).kind).toBe('token-rejected')
  })

  test('Retry-After in seconds or as an HTTP date', () => {
    expect(
      classifyFailure(serverError(429, 'RATE_LIMITED', { 'retry-after': '12' })).retryAfterMs,
    ).toBe(12_000)
    const dated = serverError(429, 'RATE_LIMITED', {
      date: 'Tue, 01 Jan 2030 12:00:00 GMT',
      'retry-after': 'Tue, 01 Jan 2030 12:00:30 GMT',
    })
    expect(classifyFailure(dated).retryAfterMs).toBe(30_000)
  })
})
