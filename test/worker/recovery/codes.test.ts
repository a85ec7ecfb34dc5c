import { describe, expect, test } from 'vitest'
import { CODE_DIGITS, isCodeShaped } from '../../../contract/index.ts'
import { generateCode, hashCode, sameCodeHash } from '../../../worker/recovery/codes.ts'

describe('one-time codes', () => {
  test('are CODE_DIGITS decimal digits, leading zeros kept, and spread over every digit', () => {
    const codes = Array.from({ length: 2000 }, generateCode)
    expect(codes.every(isCodeShaped)).toBe(true)
    expect(new Set(codes).size).toBeGreaterThan(1990)
    for (let position = 0; position < CODE_DIGITS; position++) {
      expect(new Set(codes.map((code) => code[position])).size).toBe(10)
    }
  })

  test('are stored keyed by the secret and bound to their purpose and address', async () => {
    const input = { purpose: 'reset', target: 'a@example.com', code: '01234567' } as const
    const stored = await hashCode('secret one', input)
    expect(stored).not.toContain(input.code)
    expect(sameCodeHash(stored, await hashCode('secret one', input))).toBe(true)
    for (const other of [
      await hashCode('secret two', input),
      await hashCode('secret one', { ...input, purpose: 'verify' }),
      await hashCode('secret one', { ...input, target: 'b@example.com' }),
      await hashCode('secret one', { ...input, code: '01234568' }),
    ]) {
      expect(sameCodeHash(stored, other)).toBe(false)
    }
    expect(sameCodeHash(stored, '')).toBe(false)
  })
})
