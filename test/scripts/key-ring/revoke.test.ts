import { describe, expect, test } from 'vitest'
import { replacementNeeded, revoke } from '../../../scripts/lib/key-ring/revoke.ts'
import { addNext, promote } from '../../../scripts/lib/key-ring/rotate.ts'
import { T0, expectRefusal, firstRing, freshKey, keyOf } from '../helpers/key-ring.ts'

describe('revoking a key in an emergency', () => {
  test('an unknown kid is refused', async () => {
    const ring = await firstRing()
    expectRefusal(() => revoke(ring, 'nope', { now: T0 }), 'NOT_FOUND', /nope/)
  })

  test('a next key is dropped quietly: it never signed', async () => {
    const ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    const next = keyOf(ring, 'ES256', 'next')
    const result = revoke(ring, next.kid, { now: T0 + 1 })
    expect(result.ring.keys.map((key) => key.kid)).not.toContain(next.kid)
    expect(result.warnings).toEqual([])
  })

  test('a retiring key is dropped at once, with the cache warning', async () => {
    let ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    ring = promote(ring, 'ES256', { now: T0 + 900 }).ring
    const retiring = keyOf(ring, 'ES256', 'retiring')
    const result = revoke(ring, retiring.kid, { now: T0 + 901 })
    expect(result.ring.keys).toHaveLength(3)
    expect(result.warnings.join()).toMatch(/now fails.*cached JWKS.*up to 300 s/)
  })

  test('a current key is replaced by the next key of its alg', async () => {
    const ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    const current = keyOf(ring, 'ES256', 'current')
    const next = keyOf(ring, 'ES256', 'next')
    expect(replacementNeeded(ring, current.kid)).toBeUndefined()
    const result = revoke(ring, current.kid, { now: T0 + 60 })
    expect(result.promoted).toBe(next.kid)
    expect(keyOf(result.ring, 'ES256', 'current').kid).toBe(next.kid)
    expect(result.ring.keys).toHaveLength(3)
    // Published only a minute ago: some verifiers have not seen it yet.
    expect(result.warnings).toHaveLength(2)
  })

  test('a current key without a next key is replaced by a fresh key', async () => {
    const ring = await firstRing()
    const current = keyOf(ring, 'EdDSA', 'current')
    expect(replacementNeeded(ring, current.kid)).toBe('EdDSA')
    expectRefusal(() => revoke(ring, current.kid, { now: T0 }), 'UNSAFE', /needs a new EdDSA/)
    const wrongAlg = await freshKey('ES256', 'current', T0 + 5)
    expectRefusal(() => revoke(ring, current.kid, { now: T0 + 5, replacement: wrongAlg }), 'UNSAFE')
    const replacement = await freshKey('EdDSA', 'current', T0 + 5)
    const result = revoke(ring, current.kid, { now: T0 + 5, replacement })
    expect(result.generated).toBe(replacement.kid)
    expect(keyOf(result.ring, 'EdDSA', 'current')).toMatchObject({
      kid: replacement.kid,
      published: T0 + 5,
    })
    expect(result.warnings.join()).toMatch(/now fails.*generated just now/)
  })

  test('neither next nor retiring keys need a replacement', async () => {
    let ring = addNext(await firstRing(), await freshKey('ES256', 'next'), T0)
    expect(replacementNeeded(ring, keyOf(ring, 'ES256', 'next').kid)).toBeUndefined()
    ring = promote(ring, 'ES256', { now: T0 + 900 }).ring
    expect(replacementNeeded(ring, keyOf(ring, 'ES256', 'retiring').kid)).toBeUndefined()
  })
})
