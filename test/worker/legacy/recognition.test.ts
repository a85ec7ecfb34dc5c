import { describe, expect, test } from 'vitest'
import { SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose'
import { failure, registerUser, signIn } from '../helpers/issuer.ts'
import { DAY, legacyIssuer, legacyToken, legacyUser, usageOf } from './helpers.ts'

const rsa = await generateKeyPair('RS256', { extractable: true })
const publicJwk = JSON.stringify(await exportJWK(rsa.publicKey))
const publicPem = await exportSPKI(rsa.publicKey)
const nowSeconds = () => Math.floor(Date.now() / 1000)

async function rs256Token(sub: string) {
  return new SignJWT({ sub, iat: nowSeconds() - DAY })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(rsa.privateKey)
}

const rs256Issuer = (key: string) =>
  legacyIssuer('monitor', { LEGACY_JWT_SECRET: '', LEGACY_PUBLIC_KEY: key })

describe('legacy tokens are recognised strictly', () => {
  test.each([
    ['a JWK', publicJwk],
    ['a PEM', publicPem],
  ])('RS256 with the public key as %s is accepted', async (_, key) => {
    const t = rs256Issuer(key)
    const user = await registerUser(t)
    const me = await t.call('auth.me', undefined, { token: await rs256Token(user.id) })
    expect(me.status).toBe(200)
    expect(me.body.result.data.id).toBe(user.id)
  })

  test('a public key that parses but cannot be imported fails loudly, not as a bad token', async () => {
    const broken = '-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAA\n-----END PUBLIC KEY-----'
    const t = rs256Issuer(broken)
    const user = await registerUser(t)
    const me = await t.call('auth.me', undefined, { token: await rs256Token(user.id) })
    expect(failure(me)).toEqual({ status: 500, reason: 'INTERNAL_ERROR' })
  })

  test('alg none, another secret, and HS256 signed with the RSA public key are invalid', async () => {
    const hs = legacyIssuer('monitor')
    const { user } = await legacyUser(hs)
    const none = new UnsecuredJWT({ sub: user.id, iat: nowSeconds() }).encode()
    const otherSecret = await legacyToken(user.id, { secret: 'not-the-fleet-secret' })
    for (const token of [none, otherSecret]) {
      expect(failure(await hs.call('auth.me', undefined, { token }))).toEqual({
        status: 401,
        reason: 'TOKEN_INVALID',
      })
    }
    // Algorithm confusion: the public key's PEM used as an HMAC secret must not verify.
    const confused = await legacyToken(user.id, { secret: publicPem })
    const rs = rs256Issuer(publicPem)
    expect(failure(await rs.call('auth.me', undefined, { token: confused })).reason).toBe(
      'TOKEN_INVALID',
    )
    expect(await usageOf(user.id)).toEqual([])
  })

  test('a token typed at+jwt never takes the legacy path, even signed with the legacy key', async () => {
    const t = legacyIssuer('monitor')
    const { user } = await legacyUser(t)
    const token = await legacyToken(user.id, { header: { typ: 'at+jwt' } })
    expect(failure(await t.call('auth.me', undefined, { token })).reason).toBe('TOKEN_INVALID')
    const exchange = await t.call('auth.exchangeLegacy', { token })
    expect(failure(exchange).reason).toBe('TOKEN_INVALID')
  })

  test('a Rotor access token cannot be exchanged as a legacy token', async () => {
    const t = legacyIssuer('monitor')
    const { pair } = await signIn(t)
    const exchange = await t.call('auth.exchangeLegacy', { token: pair.accessToken })
    expect(failure(exchange)).toEqual({ status: 401, reason: 'TOKEN_INVALID' })
  })

  test('a token over 8 KiB is refused before any crypto', async () => {
    const t = legacyIssuer('monitor')
    const { user } = await legacyUser(t)
    const token = await legacyToken(user.id, { claims: { pad: 'x'.repeat(9000) } })
    expect(failure(await t.call('auth.me', undefined, { token })).reason).toBe('TOKEN_INVALID')
  })

  test('a sub that names no user is rejected as legacy, and counted as refused', async () => {
    const t = legacyIssuer('monitor')
    const sub = `gone-${crypto.randomUUID()}`
    const token = await legacyToken(sub)
    expect(failure(await t.call('auth.me', undefined, { token }))).toEqual({
      status: 401,
      reason: 'LEGACY_TOKEN_REJECTED',
    })
    expect(await usageOf(sub)).toMatchObject([{ uses: 1, rejected: 1 }])
  })

  test('an iat in the future is invalid; an exp, when present, is honoured', async () => {
    const t = legacyIssuer('monitor')
    const { user } = await legacyUser(t)
    const future = await legacyToken(user.id, { issuedAt: nowSeconds() + DAY })
    expect(failure(await t.call('auth.me', undefined, { token: future })).reason).toBe(
      'TOKEN_INVALID',
    )
    const expired = await legacyToken(user.id, { claims: { exp: nowSeconds() - 3600 } })
    expect(failure(await t.call('auth.me', undefined, { token: expired })).reason).toBe(
      'TOKEN_EXPIRED',
    )
  })

  test('garbage bearers are invalid in every phase', async () => {
    for (const mode of ['off', 'monitor', 'warn', 'enforce'] as const) {
      const t = legacyIssuer(mode)
      for (const token of ['abc', 'a.b.c', `${btoa('{"alg":"HS256"}')}.e30.sig`]) {
        expect(failure(await t.call('auth.me', undefined, { token })).reason).toBe('TOKEN_INVALID')
      }
    }
  })
})
