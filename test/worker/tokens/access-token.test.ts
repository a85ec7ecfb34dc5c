import { describe, expect, test } from 'vitest'
import { env } from 'cloudflare:workers'
import { SignJWT, base64url, exportJWK, generateKeyPair, importJWK } from 'jose'
import { parseConfig } from '../../../worker/config/config.ts'
import { createKeyRing } from '../../../worker/keys/key-ring.ts'
import { keyRingKeys, signAccessToken } from '../../../worker/tokens/access-token.ts'
import { verifyAccessToken } from '../../../verify/access-token.ts'
import type { RotorError } from '../../../contract/index.ts'

const config = parseConfig(env)
const now = 1_800_000_000
const claims = { sub: 'user-1', sid: 'session-1', iat: now, exp: now + 900, client_id: 'web' }
const enc = (value: unknown) => base64url.encode(JSON.stringify(value))

async function reasonFor(keys: ReturnType<typeof createKeyRing>, token: string, at = now) {
  try {
    await verifyAccessToken(keyRingKeys(keys), config, token, at)
    return 'ACCEPTED'
  } catch (error) {
    return (error as RotorError).reason
  }
}

describe.each(['ES256', 'EdDSA', 'RS256'] as const)('access tokens signed with %s', (alg) => {
  const keys = createKeyRing(env.SIGNING_KEYS, alg)

  test('verify with pinned algorithm, typ, iss and aud', async () => {
    const token = await signAccessToken(keys, config, claims)
    expect(await verifyAccessToken(keyRingKeys(keys), config, token, now + 60)).toMatchObject(
      claims,
    )
    expect(await reasonFor(keys, token, now + 900 + config.clockSkewLeeway + 1)).toBe(
      'TOKEN_EXPIRED',
    )
  })

  test('a tampered payload or a stripped or zeroed signature is refused', async () => {
    const token = await signAccessToken(keys, config, claims)
    const [header, , signature] = token.split('.')
    const tampered = `${header}.${enc({ ...claims, sub: 'admin', iss: config.issuer, aud: config.audience, jti: 'x' })}.${signature}`
    expect(await reasonFor(keys, tampered)).toBe('TOKEN_INVALID')
    const [h, p] = token.split('.')
    expect(await reasonFor(keys, `${h}.${p}.`)).toBe('TOKEN_INVALID')
    expect(await reasonFor(keys, `${h}.${p}.${'A'.repeat(signature!.length)}`)).toBe(
      'TOKEN_INVALID',
    )
  })
})

describe('forged access tokens', () => {
  const keys = createKeyRing(env.SIGNING_KEYS, 'ES256')
  const body = { ...claims, iss: config.issuer, aud: config.audience, jti: 'j' }

  test.each(['none', 'None', 'NONE', 'nOnE'])('alg %s is refused', async (alg) => {
    const kid = keys.keys[0]!.kid
    expect(await reasonFor(keys, `${enc({ alg, kid, typ: 'at+jwt' })}.${enc(body)}.`)).toBe(
      'TOKEN_INVALID',
    )
  })

  test('HS256 signed with the public key (algorithm confusion) is refused', async () => {
    const rsa = keys.keys.find((key) => key.alg === 'RS256')!
    const secret = new TextEncoder().encode(JSON.stringify(rsa.publicJwk))
    const token = await new SignJWT(body)
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid, typ: 'at+jwt' })
      .sign(secret)
    expect(await reasonFor(keys, token)).toBe('TOKEN_INVALID')
  })

  test('a key of the attacker’s, embedded as jwk or pointed to by jku, is never used', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = await exportJWK(publicKey)
    for (const header of [
      { alg: 'ES256', typ: 'at+jwt', jwk },
      { alg: 'ES256', typ: 'at+jwt', jku: 'https://evil.example/jwks.json', kid: 'evil' },
      { alg: 'ES256', typ: 'at+jwt', kid: '../../etc/passwd' },
      { alg: 'ES256', typ: 'at+jwt', kid: keys.keys[0]!.kid, jwk },
    ]) {
      const token = await new SignJWT(body).setProtectedHeader(header).sign(privateKey)
      expect(await reasonFor(keys, token)).toBe('TOKEN_INVALID')
    }
  })

  test('a key of another algorithm than the kid’s is refused', async () => {
    const ed = keys.keys.find((key) => key.alg === 'EdDSA')!
    const es = JSON.parse(env.SIGNING_KEYS).keys.find((key: { alg: string }) => key.alg === 'ES256')
    const token = await new SignJWT(body)
      .setProtectedHeader({ alg: 'ES256', kid: ed.kid, typ: 'at+jwt' })
      .sign(await importJWK(es, 'ES256'))
    expect(await reasonFor(keys, token)).toBe('TOKEN_INVALID')
  })

  test.each([
    ['wrong typ', { typ: 'JWT' }, {}],
    ['no typ', { typ: undefined }, {}],
    ['wrong issuer', {}, { iss: 'https://evil.example' }],
    ['wrong audience', {}, { aud: 'someone-else' }],
    ['no exp', {}, { exp: undefined }],
    ['a string exp', {}, { exp: String(now + 900) }],
    ['a float exp', {}, { exp: now + 900.5 }],
    ['an exp a century away', {}, { exp: now + 3_153_600_000 }],
    ['an iat in the future', {}, { iat: now + 3600, exp: now + 4500 }],
    ['no sid', {}, { sid: undefined }],
    ['no client_id (RFC 9068 §2.2)', {}, { client_id: undefined }],
    ['a client_id that is not a string', {}, { client_id: 7 }],
    ['a future nbf', {}, { nbf: now + 3600 }],
  ])('%s is refused', async (_, headerChange, claimChange) => {
    const signer = await keys.signingKey()
    const token = await new SignJWT({ ...body, ...claimChange } as Record<string, unknown>)
      .setProtectedHeader({
        alg: 'ES256',
        kid: signer.kid,
        typ: 'at+jwt',
        ...headerChange,
      } as never)
      .sign(signer.key)
    expect(await reasonFor(keys, token)).not.toBe('ACCEPTED')
  })
})
