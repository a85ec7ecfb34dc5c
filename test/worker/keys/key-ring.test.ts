import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { exportJWK, generateKeyPair, generateSecret } from 'jose'
import { ConfigError } from '../../../worker/config/config.ts'
import { createKeyRing } from '../../../worker/keys/key-ring.ts'

const ring = JSON.parse(env.SIGNING_KEYS) as { keys: Record<string, unknown>[] }
const withKeys = (keys: unknown[]) => JSON.stringify({ keys })

describe('key ring from SIGNING_KEYS', () => {
  test('signs with the current key of SIGNING_ALG and publishes only public members', async () => {
    const keys = createKeyRing(env.SIGNING_KEYS, 'EdDSA')
    const signer = await keys.signingKey()
    expect(signer.alg).toBe('EdDSA')
    expect(keys.keys.map((key) => Object.keys(key.publicJwk).sort())).toEqual([
      ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'],
      ['alg', 'crv', 'kid', 'kty', 'use', 'x'],
      ['alg', 'e', 'kid', 'kty', 'n', 'use'],
    ])
  })

  test.each([
    ['missing', undefined, 'SIGNING_KEYS is missing'],
    ['not JSON', '{keys', 'not valid JSON'],
    ['empty', withKeys([]), 'missing or empty'],
  ])('%s is refused at start-up', (_, value, message) => {
    expect(() => createKeyRing(value, 'ES256')).toThrow(message)
  })

  test('a public-only key is refused', () => {
    const { d: _d, ...publicOnly } = ring.keys[0]!
    expect(() => createKeyRing(withKeys([publicOnly]), 'ES256')).toThrow('not a private key')
  })

  test('a symmetric key is refused', async () => {
    const secret = await exportJWK(await generateSecret('HS256', { extractable: true }))
    expect(() => createKeyRing(withKeys([{ ...secret, kid: 'h', alg: 'HS256' }]), 'ES256')).toThrow(
      'alg HS256',
    )
  })

  test('a key whose type does not match its alg is refused', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const rsa = await exportJWK(privateKey)
    expect(() => createKeyRing(withKeys([{ ...rsa, kid: 'r', alg: 'ES256' }]), 'ES256')).toThrow(
      'is not a ES256 key',
    )
  })

  test('two current keys for one algorithm, or none for SIGNING_ALG, are refused', () => {
    const es = ring.keys.find((key) => key.alg === 'ES256')!
    const twice = withKeys([es, { ...es, kid: 'other' }])
    expect(() => createKeyRing(twice, 'ES256')).toThrow(ConfigError)
    expect(() => createKeyRing(withKeys([{ ...es, status: 'next' }]), 'ES256')).toThrow(
      'exactly one current ES256 key',
    )
    expect(() => createKeyRing(withKeys([es, es]), 'ES256')).toThrow('appears twice')
  })
})

describe('key members checked at start-up', () => {
  const es = () => ring.keys.find((key) => key.alg === 'ES256')!
  const rsa = () => ring.keys.find((key) => key.alg === 'RS256')!

  test('a truncated EC member is refused before any token is signed', () => {
    const broken = { ...es(), d: (es().d as string).slice(0, 20) }
    expect(() => createKeyRing(withKeys([broken]), 'ES256')).toThrow('malformed "d"')
  })

  test('an RSA key without its CRT members, or under 2048 bits, is refused', () => {
    const { p: _p, q: _q, ...noCrt } = rsa()
    expect(() => createKeyRing(withKeys([es(), noCrt]), 'ES256')).toThrow('lacks RSA members p, q')
    const short = { ...rsa(), n: (rsa().n as string).slice(0, 100) }
    expect(() => createKeyRing(withKeys([es(), short]), 'ES256')).toThrow('under 2048 bits')
  })
})
