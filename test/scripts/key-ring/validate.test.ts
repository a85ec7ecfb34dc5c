import { exportJWK, generateSecret } from 'jose'
import { describe, expect, test } from 'vitest'
import { assertSafeChange, validateKeySet } from '../../../scripts/lib/key-ring/validate.ts'
import type { KeySet } from '../../../scripts/lib/signing-keys.ts'
import { T0, expectRefusal, firstRing, keyOf } from '../helpers/key-ring.ts'

const replaceKey = (ring: KeySet, index: number, patch: Record<string, unknown>) => ({
  keys: ring.keys.map((key, i) => (i === index ? { ...key, ...patch } : key)),
})
const withoutMember = (ring: KeySet, index: number, member: string) => ({
  keys: ring.keys.map((key, i) => {
    if (i !== index) return key
    const copy: Record<string, unknown> = { ...key }
    delete copy[member]
    return copy
  }),
})

describe('validating a key ring', () => {
  test('a generated ring is valid', async () => {
    const ring = await firstRing()
    expect(validateKeySet(ring)).toBe(ring)
  })

  test.each([null, 'text', {}, { keys: [] }, { keys: 'x' }])('%j is not a key set', (value) => {
    expectRefusal(() => validateKeySet(value), 'INVALID', /at least one key/)
  })

  test('a public-only key is refused, naming its kid and what is missing', async () => {
    const ring = await firstRing()
    expectRefusal(() => validateKeySet(withoutMember(ring, 0, 'd')), 'INVALID', /public-only/)
    const rsa = ring.keys.findIndex((key) => key.alg === 'RS256')
    expectRefusal(
      () => validateKeySet(withoutMember(ring, rsa, 'qi')),
      'INVALID',
      /lacks RSA members qi/,
    )
  })

  test('a symmetric key is refused', async () => {
    const ring = await firstRing()
    const secret = await exportJWK(await generateSecret('HS256', { extractable: true }))
    const keys = [...ring.keys, { ...secret, kid: 'h', alg: 'HS256', status: 'next', created: T0 }]
    expectRefusal(() => validateKeySet({ keys }), 'INVALID', /h is a symmetric key/)
  })

  test.each([
    ['an alg outside the allow-list', { alg: 'ES384' }, /alg ES384/],
    ['a key type that does not match its alg', { kty: 'RSA' }, /not a ES256 key/],
    ['a wrong curve', { crv: 'P-384' }, /curve P-256/],
    ['an unknown status', { status: 'old' }, /status old/],
    ['a use other than sig', { use: 'enc' }, /use enc/],
    ['a kid that is not plain text', { kid: "it's" }, /needs a kid/],
    ['a created time that is not epoch seconds', { created: '2026' }, /created/],
    ['a retired time that is not epoch seconds', { retired: 1.5 }, /retired/],
  ])('%s is refused', async (_, patch, message) => {
    const ring = await firstRing()
    const es = ring.keys.findIndex((key) => key.alg === 'ES256')
    expectRefusal(() => validateKeySet(replaceKey(ring, es, patch)), 'INVALID', message)
  })

  test('two keys with one kid are refused', async () => {
    const ring = await firstRing()
    const es = keyOf(ring, 'ES256', 'current')
    const keys = [...ring.keys, { ...es, status: 'retiring' as const }]
    expectRefusal(() => validateKeySet({ keys }), 'INVALID', /appears twice/)
  })

  test('two current or two next keys of one alg are refused', async () => {
    const ring = await firstRing()
    const other = keyOf(await firstRing(), 'ES256', 'current')
    expectRefusal(
      () => validateKeySet({ keys: [...ring.keys, other] }),
      'INVALID',
      /2 current ES256/,
    )
    const nexts = [other, { ...other, kid: 'second' }].map((k) => ({ ...k, status: 'next' }))
    expectRefusal(() => validateKeySet({ keys: [...ring.keys, ...nexts] }), 'INVALID', /2 next/)
  })

  test('a ring in which no key signs is refused', async () => {
    const ring = await firstRing()
    const keys = ring.keys.map((key) => ({ ...key, status: 'retiring' }))
    expectRefusal(() => validateKeySet({ keys }), 'INVALID', /no current key/)
  })
})

describe('checking a change of ring', () => {
  test('taking the only current key of an alg away is unsafe', async () => {
    const ring = await firstRing()
    const after = { keys: ring.keys.filter((key) => key.alg !== 'EdDSA') }
    expectRefusal(() => assertSafeChange(ring, after), 'UNSAFE', /without a current EdDSA key/)
  })

  test('adding a key is safe, and the result is validated too', async () => {
    const ring = await firstRing()
    const { keys } = await firstRing()
    const next = { ...keys[0]!, status: 'next' as const }
    expect(() => assertSafeChange(ring, { keys: [...ring.keys, next] })).not.toThrow()
    const clash = { ...next, kid: ring.keys[0]!.kid }
    expectRefusal(() => assertSafeChange(ring, { keys: [...ring.keys, clash] }), 'INVALID')
  })
})
