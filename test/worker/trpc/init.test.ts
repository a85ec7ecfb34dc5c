import { describe, expect, test } from 'vitest'
import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { REASONS, RotorError } from '../../../contract/index.ts'
import { reasonOf, toTRPCError } from '../../../worker/trpc/init.ts'
import type { RotorReason } from '../../../contract/index.ts'

const reasons = Object.keys(REASONS) as RotorReason[]

describe('reasons as tRPC errors', () => {
  test.each(reasons)('%s: the contract’s status is the one tRPC gives its code', (r) => {
    const { code, status } = REASONS[r]
    expect(getHTTPStatusCodeFromError(new TRPCError({ code }))).toBe(status)
  })

  test.each(reasons)('a RotorError for %s becomes a TRPCError with that code', (r) => {
    const cause = new RotorError(r, 'refused')
    const error = toTRPCError(cause)
    expect(error.code).toBe(REASONS[r].code)
    expect(error.cause).toBe(cause)
    expect(reasonOf(error)).toBe(r)
  })

  test('anything else is an internal error whose message says nothing', () => {
    const error = toTRPCError(new Error('database password is hunter2'))
    expect(error.code).toBe('INTERNAL_SERVER_ERROR')
    expect(error.message).toBe('Internal error')
    expect(reasonOf(error)).toBe('INTERNAL_ERROR')
  })

  test('tRPC’s own errors keep their code and report the nearest reason', () => {
    const parse = new TRPCError({ code: 'PARSE_ERROR' })
    expect(toTRPCError(parse)).toBe(parse)
    expect(reasonOf(parse)).toBe('INVALID_INPUT')
    expect(reasonOf(new TRPCError({ code: 'NOT_FOUND' }))).toBe('NOT_FOUND')
  })
})
