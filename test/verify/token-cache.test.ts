import { describe, expect, test } from 'vitest'
import { createTokenCache } from '../../verify/token-cache.ts'
import type { AccessTokenClaims } from '../../contract/index.ts'

const now = 1_800_000_000_000
const claims = (exp: number): AccessTokenClaims => ({
  iss: 'i',
  aud: 'a',
  sub: 's',
  sid: 'x',
  jti: 'j',
  client_id: 'web',
  iat: exp - 900,
  exp,
})

describe('verified-token cache', () => {
  test('serves a token until its exp plus leeway, never after', () => {
    const cache = createTokenCache({ maxEntries: 10, maxTokenLength: 100, maxAgeMs: 3_600_000 })
    cache.set('token', claims(now / 1000 + 60), now, 30)
    expect(cache.get('token', now + 89_999)).toBeDefined()
    expect(cache.get('token', now + 90_000)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  test('never keeps an entry longer than the key-set cache', () => {
    const cache = createTokenCache({ maxEntries: 10, maxTokenLength: 100, maxAgeMs: 300_000 })
    cache.set('token', claims(now / 1000 + 900), now, 30)
    expect(cache.get('token', now + 299_999)).toBeDefined()
    expect(cache.get('token', now + 300_000)).toBeUndefined()
  })

  test('is bounded: the oldest entry goes first, and long tokens are not kept', () => {
    const cache = createTokenCache({ maxEntries: 3, maxTokenLength: 10, maxAgeMs: 300_000 })
    for (const token of ['a', 'b', 'c', 'd']) cache.set(token, claims(now / 1000 + 900), now, 0)
    expect(cache.size).toBe(3)
    expect(cache.get('a', now)).toBeUndefined()
    expect(cache.get('d', now)).toBeDefined()
    cache.set('x'.repeat(11), claims(now / 1000 + 900), now, 0)
    expect(cache.get('x'.repeat(11), now)).toBeUndefined()
  })

  test('matches the exact token string only', () => {
    const cache = createTokenCache({ maxEntries: 3, maxTokenLength: 100, maxAgeMs: 300_000 })
    cache.set('abc.def.ghi', claims(now / 1000 + 900), now, 0)
    expect(cache.get('abc.def.ghi=', now)).toBeUndefined()
    expect(cache.get('abc.def.gh', now)).toBeUndefined()
  })
})
