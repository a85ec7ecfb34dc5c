import { PUBLISH_LEAD } from '../../../contract/index.ts'
import { describe, expect, test } from 'vitest'
import { addNext, promote } from '../../../scripts/lib/key-ring/rotate.ts'
import type { SigningJwk } from '../../../scripts/lib/signing-keys.ts'
import { T0, expectRefusal, firstRing, freshKey, keyOf } from '../helpers/key-ring.ts'

describe('rotation step 1: publishing a next key', () => {
  test('adds the key as next, stamped with the time it was published', async () => {
    const ring = await firstRing()
    const key = await freshKey('ES256', 'next', T0 + 60)
    const after = addNext(ring, key, T0 + 60)
    expect(after.keys).toHaveLength(4)
    expect(keyOf(after, 'ES256', 'next')).toMatchObject({ kid: key.kid, published: T0 + 60 })
    expect(ring.keys).toHaveLength(3)
  })

  test('refuses a second next key for one alg', async () => {
    const ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    expectRefusal(
      () => addNext(ring, { ...keyOf(ring, 'ES256', 'next'), kid: 'another' }, T0),
      'EXISTS',
      /already has a next key/,
    )
  })

  test('refuses a kid the ring already holds', async () => {
    const ring = await firstRing()
    const key = { ...(await freshKey('ES256', 'next')), kid: keyOf(ring, 'RS256', 'current').kid }
    expectRefusal(() => addNext(ring, key, T0), 'INVALID', /appears twice/)
  })

  test('refuses a public-only key', async () => {
    const ring = await firstRing()
    const { d: _d, ...publicOnly } = await freshKey('EdDSA', 'next')
    expectRefusal(() => addNext(ring, publicOnly as SigningJwk, T0), 'INVALID', /public-only/)
  })
})

describe('rotation step 2: promoting the next key', () => {
  test('refuses when the alg has no next key', async () => {
    const ring = await firstRing()
    expectRefusal(() => promote(ring, 'ES256', { now: T0 }), 'NOT_FOUND')
  })

  test('refuses within 15 minutes of publishing, saying how long to wait', async () => {
    const ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    expectRefusal(
      () => promote(ring, 'ES256', { now: T0 + 600 }),
      'TOO_EARLY',
      /published 10m 0s ago.*Wait 5m 0s/,
    )
  })

  test('after 15 minutes the next key signs and the current key retires', async () => {
    const ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    const next = keyOf(ring, 'ES256', 'next')
    const current = keyOf(ring, 'ES256', 'current')
    const result = promote(ring, 'ES256', { now: T0 + PUBLISH_LEAD })
    expect(result).toMatchObject({ promoted: next.kid, retiring: current.kid, warnings: [] })
    expect(keyOf(result.ring, 'ES256', 'current').kid).toBe(next.kid)
    expect(keyOf(result.ring, 'ES256', 'retiring')).toMatchObject({
      kid: current.kid,
      retired: T0 + PUBLISH_LEAD,
    })
    expect(keyOf(result.ring, 'EdDSA', 'current')).toEqual(keyOf(ring, 'EdDSA', 'current'))
  })

  test('--force promotes early with a warning', async () => {
    const ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    const result = promote(ring, 'ES256', { now: T0 + 30, force: true })
    expect(keyOf(result.ring, 'ES256', 'current').kid).toBe(result.promoted)
    expect(result.warnings.join()).toMatch(/--force.*refuse its tokens until they refetch/)
  })

  test('a next key of an alg without a current key becomes its first current key', async () => {
    const ring = await firstRing()
    const withoutRsa = { keys: ring.keys.filter((key) => key.alg !== 'RS256') }
    const added = addNext(withoutRsa, await freshKey('RS256', 'next'), T0)
    const result = promote(added, 'RS256', { now: T0 + PUBLISH_LEAD })
    expect(result.retiring).toBeUndefined()
    expect(keyOf(result.ring, 'RS256', 'current').kid).toBe(result.promoted)
  })
})
